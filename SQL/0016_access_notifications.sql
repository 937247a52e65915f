-- Every change to who a token signs in (a token revoked or cut short, a grant given or taken, a
-- user or hospital link changed) notifies `cordon_access` when it commits, whichever path made
-- it: each `cordon serve` listening there forgets the users it remembered for tokens at once.
CREATE FUNCTION notify_access_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('cordon_access', TG_TABLE_NAME);
    RETURN NULL;
END $$;

CREATE TRIGGER api_tokens_notify AFTER UPDATE OR DELETE ON api_tokens
    FOR EACH STATEMENT EXECUTE FUNCTION notify_access_change();
CREATE TRIGGER grants_notify AFTER INSERT OR UPDATE OR DELETE ON grants
    FOR EACH STATEMENT EXECUTE FUNCTION notify_access_change();
CREATE TRIGGER users_notify AFTER UPDATE OR DELETE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION notify_access_change();
CREATE TRIGGER hospital_users_notify AFTER INSERT OR UPDATE OR DELETE ON hospital_users
    FOR EACH STATEMENT EXECUTE FUNCTION notify_access_change();
