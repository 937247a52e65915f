-- Housekeeping removes delivered webhook events after WEBHOOK_RETENTION_DAYS, with their
-- attempts. An attempt stays append-only while its event is pending or dead: only the record of
-- a finished delivery may go, and only with its event.
CREATE FUNCTION webhook_attempts_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND EXISTS (
        SELECT 1 FROM webhook_events e
        WHERE e.site_id = OLD.site_id AND e.id = OLD.event_id AND e.status = 'delivered'
    ) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'webhook_attempts is append-only while its event is not delivered; % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
DROP TRIGGER webhook_attempts_append_only ON webhook_attempts;
CREATE TRIGGER webhook_attempts_append_only BEFORE UPDATE OR DELETE ON webhook_attempts
    FOR EACH ROW EXECUTE FUNCTION webhook_attempts_guard();

-- The pruning reads delivered events by age.
CREATE INDEX webhook_events_delivered_idx ON webhook_events (delivered_at) WHERE status = 'delivered';
