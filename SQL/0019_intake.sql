-- Intake by the busload: the district command's transfer list, kept as a batch of people expected
-- at the site, each with the bed proposed for them until they are admitted or cancelled.

CREATE TABLE intake_batches (
    site_id     bigint NOT NULL REFERENCES sites (id),
    id          bigint GENERATED ALWAYS AS IDENTITY,
    reference   text NOT NULL CONSTRAINT intake_batches_reference_format CHECK (char_length(reference) BETWEEN 1 AND 64),
    expected_at timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, id),
    CONSTRAINT intake_batches_reference_key UNIQUE (site_id, reference)
);
CREATE INDEX intake_batches_expected_idx ON intake_batches (site_id, expected_at);

CREATE TABLE intake_persons (
    site_id         bigint NOT NULL,
    batch_id        bigint NOT NULL,
    id              bigint GENERATED ALWAYS AS IDENTITY,
    -- Where the person stood in the list: a file's line, or the index in JSON.
    position        integer NOT NULL,
    name            text NOT NULL,
    sex             text NOT NULL CONSTRAINT intake_persons_sex_check CHECK (sex IN ('female', 'male')),
    date_of_birth   date NOT NULL,
    national_id     text NOT NULL CONSTRAINT intake_persons_national_id_format
                    CHECK (national_id ~ '^[0-9]{17}[0-9X]$'),
    phone           text,
    home_address    text,
    committee       text,
    test_date       date,
    n_gene_ct       double precision CONSTRAINT intake_persons_n_gene_ct_check CHECK (n_gene_ct BETWEEN 0 AND 50),
    orf1ab_ct       double precision CONSTRAINT intake_persons_orf1ab_ct_check CHECK (orf1ab_ct BETWEEN 0 AND 50),
    vulnerabilities text[] NOT NULL DEFAULT '{}' CONSTRAINT intake_persons_vulnerabilities_check
                    CHECK (vulnerabilities <@ ARRAY['pregnancy', 'dialysis', 'cancer_treatment', 'chronic_disease',
                                                    'disability', 'needs_carer']),
    household       text,
    expected_at     timestamptz,
    status          text NOT NULL DEFAULT 'expected' CONSTRAINT intake_persons_status_check
                    CHECK (status IN ('expected', 'admitted', 'cancelled')),
    -- The proposal: a bed and why it suits, or why nobody could be placed.
    bed_id          bigint,
    reasons         jsonb NOT NULL DEFAULT '[]',
    patient_id      bigint,
    version         integer NOT NULL DEFAULT 1,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, id),
    CONSTRAINT intake_persons_batch_fkey FOREIGN KEY (site_id, batch_id) REFERENCES intake_batches (site_id, id),
    CONSTRAINT intake_persons_bed_fkey FOREIGN KEY (site_id, bed_id) REFERENCES beds (site_id, id),
    CONSTRAINT intake_persons_patient_fkey FOREIGN KEY (site_id, patient_id) REFERENCES patients (site_id, id),
    CONSTRAINT intake_persons_admitted_consistent CHECK ((status = 'admitted') = (patient_id IS NOT NULL)),
    CONSTRAINT intake_persons_bed_while_expected CHECK (status = 'expected' OR bed_id IS NULL)
);
CREATE INDEX intake_persons_batch_idx ON intake_persons (site_id, batch_id, position);
-- One person is expected at a site once; a bed is held for one expected person at a time.
CREATE UNIQUE INDEX intake_persons_expected_key ON intake_persons (site_id, national_id) WHERE status = 'expected';
CREATE UNIQUE INDEX intake_persons_bed_key ON intake_persons (site_id, bed_id) WHERE bed_id IS NOT NULL;
