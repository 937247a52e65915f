-- The transactional outbox of webhook events to hospitals' systems. An event is written in the
-- same transaction as the referral change it reports, so a change is never without its event
-- and an event never without its change. The dispatcher claims due events with a lease: a
-- dispatcher that dies mid-delivery leaves the event to be tried again, under the same id.

CREATE TABLE webhook_events (
    site_id         bigint NOT NULL,
    id              uuid NOT NULL,
    seq             bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT webhook_events_seq_key UNIQUE,
    hospital_id     bigint NOT NULL REFERENCES hospitals (id),
    referral_id     bigint NOT NULL,
    type            text NOT NULL CONSTRAINT webhook_events_type_check CHECK (type IN
                    ('referral.created', 'referral.status_changed', 'referral.note_added')),
    -- The exact bytes sent on every attempt.
    body            text NOT NULL,
    status          text NOT NULL DEFAULT 'pending' CONSTRAINT webhook_events_status_check CHECK (status IN ('pending', 'delivered', 'dead')),
    -- Attempts ever made; an operator's retry starts a new round at `round_start`.
    attempts        integer NOT NULL DEFAULT 0 CONSTRAINT webhook_events_attempts_check CHECK (attempts >= 0),
    round_start     integer NOT NULL DEFAULT 0 CONSTRAINT webhook_events_round_check CHECK (round_start <= attempts),
    -- When the event may next be claimed: the backoff after a failure, or the lease's end while
    -- an attempt is in flight.
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_status_code integer,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz,
    PRIMARY KEY (site_id, id),
    CONSTRAINT webhook_events_referral_fkey FOREIGN KEY (site_id, referral_id) REFERENCES referrals (site_id, id),
    CONSTRAINT webhook_events_delivered_has_time CHECK ((status = 'delivered') = (delivered_at IS NOT NULL))
);
CREATE INDEX webhook_events_due_idx ON webhook_events (next_attempt_at, seq) WHERE status = 'pending';
-- Events of one referral go out in order: only the earliest pending one is claimable.
CREATE INDEX webhook_events_referral_pending_idx ON webhook_events (site_id, referral_id, seq) WHERE status = 'pending';
CREATE INDEX webhook_events_hospital_idx ON webhook_events (hospital_id, seq);

CREATE TABLE webhook_attempts (
    site_id     bigint NOT NULL,
    event_id    uuid NOT NULL,
    attempt     integer NOT NULL,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz NOT NULL DEFAULT now(),
    status_code integer,
    error       text,
    PRIMARY KEY (site_id, event_id, attempt),
    CONSTRAINT webhook_attempts_event_fkey FOREIGN KEY (site_id, event_id) REFERENCES webhook_events (site_id, id)
);
CREATE TRIGGER webhook_attempts_append_only BEFORE UPDATE OR DELETE ON webhook_attempts
    FOR EACH ROW EXECUTE FUNCTION refuse_change_append_only();

-- Wakes listening dispatchers when a transaction that makes an event due commits (a new event,
-- an operator's retry); PostgreSQL folds a transaction's identical notifications into one.
CREATE FUNCTION notify_webhook_dispatchers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('cordon_webhook_events', '');
    RETURN NULL;
END $$;
CREATE TRIGGER webhook_events_notify AFTER INSERT OR UPDATE OF status ON webhook_events
    FOR EACH ROW WHEN (NEW.status = 'pending') EXECUTE FUNCTION notify_webhook_dispatchers();
