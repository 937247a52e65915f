-- Results from laboratories: each laboratory's integration user, the tube a result was read
-- from, the queue of results a clinician has to look at, and the re-positive flag.

-- A laboratory's system signs in as its own user and may only send results.
CREATE TABLE laboratory_users (
    user_id       bigint PRIMARY KEY REFERENCES users (id),
    laboratory_id bigint NOT NULL REFERENCES laboratories (id)
                  CONSTRAINT laboratory_users_laboratory_key UNIQUE
);

-- A laboratory's result is a test like one entered by hand, with the tube it was read from:
-- one test per tube, so a result sent twice is recorded once (per tube and analyte, the
-- values already held are compared, not added again).
ALTER TABLE nucleic_acid_tests
    ADD COLUMN accession     bigint REFERENCES specimens (accession),
    ADD COLUMN laboratory_id bigint REFERENCES laboratories (id),
    ADD COLUMN source        text NOT NULL DEFAULT 'manual'
               CONSTRAINT nucleic_acid_tests_source_check CHECK (source IN ('manual', 'csv', 'hl7v2', 'fhir', 'review')),
    ADD COLUMN tested_at     timestamptz;
CREATE UNIQUE INDEX nucleic_acid_tests_accession_key ON nucleic_acid_tests (accession) WHERE accession IS NOT NULL;

-- A result Cordon would not record on its own: its tube is unknown, it contradicts what is
-- recorded, its patient has left, or it cannot be read. Nothing a laboratory sends is dropped;
-- it waits here until a clinician matches it to a tube or rejects it, with a reason.
CREATE TABLE lab_result_reviews (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    laboratory_id      bigint NOT NULL REFERENCES laboratories (id),
    -- The site of the tube it names; none when it names no tube Cordon knows.
    site_id            bigint REFERENCES sites (id),
    accession          bigint REFERENCES specimens (accession),
    form               text NOT NULL CONSTRAINT lab_result_reviews_form_check CHECK (form IN ('csv', 'hl7v2', 'fhir')),
    reason             text NOT NULL CONSTRAINT lab_result_reviews_reason_check
                       CHECK (reason IN ('unknown_accession', 'contradicts', 'patient_left', 'not_collected',
                                         'other_laboratory', 'invalid')),
    detail             text NOT NULL,
    -- Where in what was sent: "line 14", "OBR 3", "entry 7".
    place              text NOT NULL,
    received_accession text NOT NULL,
    result             text CONSTRAINT lab_result_reviews_result_check CHECK (result IN ('positive', 'negative')),
    n_gene_ct          double precision CONSTRAINT lab_result_reviews_n_gene_ct_check CHECK (n_gene_ct BETWEEN 0 AND 50),
    orf1ab_ct          double precision CONSTRAINT lab_result_reviews_orf1ab_ct_check CHECK (orf1ab_ct BETWEEN 0 AND 50),
    sampled_at         timestamptz,
    tested_at          timestamptz,
    -- The row, segments or resource as received (never the patient's identity segment).
    raw                text NOT NULL,
    -- The same thing sent again waits once.
    fingerprint        text NOT NULL,
    received_at        timestamptz NOT NULL DEFAULT now(),
    decision           text CONSTRAINT lab_result_reviews_decision_check CHECK (decision IN ('matched', 'rejected')),
    decision_reason    text,
    matched_accession  bigint REFERENCES specimens (accession),
    decided_at         timestamptz,
    decided_by         bigint REFERENCES users (id),
    CONSTRAINT lab_result_reviews_decided CHECK (
        (decision IS NULL) = (decided_at IS NULL)
        AND (decision IS NULL OR decision_reason IS NOT NULL)
        AND ((decision = 'matched') = (matched_accession IS NOT NULL)))
);
CREATE UNIQUE INDEX lab_result_reviews_waiting_key ON lab_result_reviews (laboratory_id, fingerprint)
    WHERE decision IS NULL;
CREATE INDEX lab_result_reviews_site_idx ON lab_result_reviews (site_id, received_at) WHERE decision IS NULL;
CREATE INDEX lab_result_reviews_laboratory_idx ON lab_result_reviews (laboratory_id, received_at)
    WHERE decision IS NULL AND site_id IS NULL;

-- A positive after clear tests: set with the test that broke the run, shown on the board while
-- the patient stays.
ALTER TABLE patients ADD COLUMN repositive_at timestamptz;
CREATE INDEX patients_repositive_idx ON patients (site_id, repositive_at)
    WHERE status = 'admitted' AND repositive_at IS NOT NULL;
