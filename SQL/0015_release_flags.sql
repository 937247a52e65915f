-- Whether the release rule says an admitted patient may go, kept on the patient and set in the
-- same transaction as each test result, so the census counts eligible patients from an index
-- instead of reading every admitted patient's tests (3,000,000 rows at a million patients).
ALTER TABLE patients ADD COLUMN release_eligible boolean NOT NULL DEFAULT false;
CREATE INDEX patients_release_eligible_idx ON patients (site_id, id) WHERE status = 'admitted' AND release_eligible;

-- The rule's numbers the flags were worked out with. They are configuration: when `cordon serve`
-- or `cordon migrate` finds other numbers here (or none, right after this migration), it works
-- the flags of every admitted patient out again before going on.
CREATE TABLE release_rule_applied (
    singleton                boolean PRIMARY KEY DEFAULT true CONSTRAINT release_rule_applied_one CHECK (singleton),
    ct_threshold             double precision NOT NULL,
    minimum_interval_seconds double precision NOT NULL,
    applied_at               timestamptz NOT NULL DEFAULT now()
);
