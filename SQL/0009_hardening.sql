-- Hardening: shared rate limits, the security log, hospital codes unique whatever their case
-- with an integration user of their own, tokens that expire, and idempotency keys that can be
-- pruned by age.

-- Fixed-window counters shared by every `cordon serve` replica (check-in attempts per code and
-- address; sign-in attempts). A row per bucket; windows that have passed are pruned.
CREATE TABLE rate_limits (
    bucket       text PRIMARY KEY,
    window_start timestamptz NOT NULL,
    hits         integer NOT NULL CONSTRAINT rate_limits_hits_check CHECK (hits > 0)
);
CREATE INDEX rate_limits_window_idx ON rate_limits (window_start);

-- What was refused at the door: bad bearer tokens, 403s, 429s (and, later, failed sign-ins),
-- with the client's address and the request id. Append-only, like the audit trail.
CREATE TABLE security_events (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    kind       text NOT NULL CONSTRAINT security_events_kind_check
               CHECK (kind IN ('bad_token', 'forbidden', 'rate_limited', 'sign_in_failed')),
    status     integer NOT NULL,
    method     text NOT NULL,
    path       text NOT NULL,
    address    text,
    request_id text,
    username   text,
    detail     text NOT NULL DEFAULT ''
);
CREATE INDEX security_events_kind_idx ON security_events (kind, id);
-- One refusal for every append-only table from here on, naming the table.
CREATE FUNCTION append_only_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only; % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER security_events_append_only BEFORE UPDATE OR DELETE ON security_events
    FOR EACH ROW EXECUTE FUNCTION append_only_refuse_change();
CREATE TRIGGER security_events_no_truncate BEFORE TRUNCATE ON security_events
    FOR EACH STATEMENT EXECUTE FUNCTION append_only_refuse_change();

-- PJ1 and pj1 are one hospital. (A database that holds both stops here; rename one first.)
CREATE UNIQUE INDEX hospitals_code_lower_key ON hospitals (lower(code));

-- Every hospital has its own integration user, named after its code; existing hospitals get
-- theirs now unless the name is taken by someone else (`cordon hospital token` then says so).
INSERT INTO users (username, display_name)
SELECT 'hospital-' || lower(h.code), h.name || ' integration'
FROM hospitals h
WHERE NOT EXISTS (SELECT 1 FROM hospital_users hu WHERE hu.hospital_id = h.id)
  AND NOT EXISTS (SELECT 1 FROM users u WHERE u.username = 'hospital-' || lower(h.code))
  AND ('hospital-' || lower(h.code)) ~ '^[a-z0-9][a-z0-9._-]{1,63}$';
INSERT INTO hospital_users (user_id, hospital_id)
SELECT u.id, h.id FROM hospitals h JOIN users u ON u.username = 'hospital-' || lower(h.code)
WHERE NOT EXISTS (SELECT 1 FROM hospital_users hu WHERE hu.hospital_id = h.id)
  AND NOT EXISTS (SELECT 1 FROM hospital_users hu WHERE hu.user_id = u.id)
  AND NOT EXISTS (SELECT 1 FROM grants g WHERE g.user_id = u.id AND g.role <> 'hospital_system');
-- One integration user per hospital from now on.
CREATE UNIQUE INDEX hospital_users_hospital_key ON hospital_users (hospital_id);

-- Tokens expire: those issued without an end get 90 days from now.
UPDATE api_tokens SET expires_at = now() + interval '90 days' WHERE expires_at IS NULL AND revoked_at IS NULL;
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id) WHERE revoked_at IS NULL;

-- Stored idempotent answers expire and are pruned by age.
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
