-- Residential committees can take their bus notices into their own systems, through the same
-- signed webhook outbox as hospitals: a committee may register an endpoint and is given its own
-- signing secret. An outbox event is now for a hospital (about a referral) or for a committee
-- (about one notice), never both.

ALTER TABLE residential_committees
    ADD COLUMN webhook_url text CONSTRAINT residential_committees_webhook_url_check CHECK (length(webhook_url) BETWEEN 1 AND 2000),
    -- The HMAC key webhook deliveries are signed with; shown once when set.
    ADD COLUMN webhook_secret text,
    ADD CONSTRAINT residential_committees_webhook_complete CHECK ((webhook_url IS NULL) = (webhook_secret IS NULL));

ALTER TABLE webhook_events
    ALTER COLUMN hospital_id DROP NOT NULL,
    ALTER COLUMN referral_id DROP NOT NULL,
    ADD COLUMN committee_id bigint CONSTRAINT webhook_events_committee_fkey REFERENCES residential_committees (id),
    ADD COLUMN committee_notice_id bigint,
    ADD CONSTRAINT webhook_events_notice_fkey FOREIGN KEY (site_id, committee_notice_id)
        REFERENCES committee_notices (site_id, id),
    ADD CONSTRAINT webhook_events_one_receiver CHECK (
        (hospital_id IS NOT NULL AND referral_id IS NOT NULL AND committee_id IS NULL AND committee_notice_id IS NULL)
        OR (hospital_id IS NULL AND referral_id IS NULL AND committee_id IS NOT NULL AND committee_notice_id IS NOT NULL)),
    DROP CONSTRAINT webhook_events_type_check,
    ADD CONSTRAINT webhook_events_type_check CHECK (type IN
        ('referral.created', 'referral.status_changed', 'referral.note_added', 'committee.arrivals')
        AND (type = 'committee.arrivals') = (committee_id IS NOT NULL));
CREATE INDEX webhook_events_committee_idx ON webhook_events (committee_id, seq) WHERE committee_id IS NOT NULL;
