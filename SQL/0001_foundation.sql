-- Foundation: sites, zones, beds, patients, bed assignments, nucleic-acid tests,
-- users, grants, tokens, the append-only audit trail and idempotency keys.
-- Every site-scoped table carries site_id and its keys lead with it.

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE sites (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code         text NOT NULL CONSTRAINT sites_code_key UNIQUE,
    name         text NOT NULL,
    district     text NOT NULL,
    address      text NOT NULL DEFAULT '',
    kind         text NOT NULL CONSTRAINT sites_kind_check
                 CHECK (kind IN ('centralised_isolation', 'makeshift_hospital', 'designated_hospital')),
    bed_capacity integer NOT NULL CONSTRAINT sites_bed_capacity_check CHECK (bed_capacity >= 0),
    time_zone    text NOT NULL DEFAULT 'Asia/Shanghai',
    opened_on    date,
    closed_on    date,
    status       text NOT NULL DEFAULT 'open' CONSTRAINT sites_status_check
                 CHECK (status IN ('planned', 'open', 'closed')),
    version      integer NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT sites_closed_after_opened CHECK (closed_on IS NULL OR opened_on IS NULL OR closed_on >= opened_on)
);

CREATE TABLE zones (
    site_id    bigint NOT NULL REFERENCES sites (id),
    id         bigint GENERATED ALWAYS AS IDENTITY,
    code       text NOT NULL,
    name       text NOT NULL,
    kind       text NOT NULL CONSTRAINT zones_kind_check CHECK (kind IN ('contaminated', 'buffer', 'clean')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, id),
    CONSTRAINT zones_code_key UNIQUE (site_id, code)
);

CREATE TABLE beds (
    site_id    bigint NOT NULL,
    id         bigint GENERATED ALWAYS AS IDENTITY,
    zone_id    bigint NOT NULL,
    code       text NOT NULL,
    status     text NOT NULL DEFAULT 'free' CONSTRAINT beds_status_check
               CHECK (status IN ('free', 'occupied', 'cleaning', 'out_of_service')),
    version    integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, id),
    CONSTRAINT beds_code_key UNIQUE (site_id, code),
    CONSTRAINT beds_zone_fkey FOREIGN KEY (site_id, zone_id) REFERENCES zones (site_id, id)
);
CREATE INDEX beds_zone_status_idx ON beds (site_id, zone_id, status);

CREATE TABLE patients (
    site_id          bigint NOT NULL REFERENCES sites (id),
    id               bigint GENERATED ALWAYS AS IDENTITY,
    name             text NOT NULL,
    sex              text NOT NULL CONSTRAINT patients_sex_check CHECK (sex IN ('female', 'male')),
    date_of_birth    date NOT NULL,
    phone            text,
    national_id      text NOT NULL CONSTRAINT patients_national_id_format
                     CHECK (national_id ~ '^[0-9]{17}[0-9X]$'),
    severity         text NOT NULL CONSTRAINT patients_severity_check
                     CHECK (severity IN ('asymptomatic', 'mild', 'moderate', 'severe', 'critical')),
    party_member     boolean NOT NULL DEFAULT false,
    status           text NOT NULL DEFAULT 'admitted' CONSTRAINT patients_status_check
                     CHECK (status IN ('admitted', 'discharged')),
    admitted_at      timestamptz NOT NULL,
    discharged_at    timestamptz,
    discharge_reason text CONSTRAINT patients_discharge_reason_check
                     CHECK (discharge_reason IN ('recovered', 'transferred', 'other')),
    discharge_note   text,
    version          integer NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, id),
    CONSTRAINT patients_discharge_consistent CHECK (
        (status = 'admitted' AND discharged_at IS NULL AND discharge_reason IS NULL)
        OR (status = 'discharged' AND discharged_at IS NOT NULL AND discharge_reason IS NOT NULL
            AND discharged_at >= admitted_at))
);
-- One person is admitted at most once per site at a time; a later readmission is a new stay.
CREATE UNIQUE INDEX patients_admitted_national_id_key ON patients (site_id, national_id) WHERE status = 'admitted';
CREATE INDEX patients_status_idx ON patients (site_id, status, id);
CREATE INDEX patients_admitted_at_idx ON patients (site_id, admitted_at);
CREATE INDEX patients_discharged_at_idx ON patients (site_id, discharged_at) WHERE discharged_at IS NOT NULL;

-- Time-bounded history of who lay in which bed. The two exclusion constraints are the real
-- guarantee: no bed holds two patients at once, and no patient holds two beds at once.
CREATE TABLE bed_assignments (
    site_id    bigint NOT NULL,
    id         bigint GENERATED ALWAYS AS IDENTITY,
    patient_id bigint NOT NULL,
    bed_id     bigint NOT NULL,
    during     tstzrange NOT NULL CONSTRAINT bed_assignments_during_check
               CHECK (NOT isempty(during) AND lower(during) IS NOT NULL),
    PRIMARY KEY (site_id, id),
    CONSTRAINT bed_assignments_patient_fkey FOREIGN KEY (site_id, patient_id) REFERENCES patients (site_id, id),
    CONSTRAINT bed_assignments_bed_fkey FOREIGN KEY (site_id, bed_id) REFERENCES beds (site_id, id),
    CONSTRAINT bed_assignments_bed_overlap EXCLUDE USING gist (site_id WITH =, bed_id WITH =, during WITH &&),
    CONSTRAINT bed_assignments_patient_overlap EXCLUDE USING gist (site_id WITH =, patient_id WITH =, during WITH &&)
);
CREATE INDEX bed_assignments_lower_idx ON bed_assignments (site_id, lower(during));
-- The current bed of each patient and the current patient of each bed.
CREATE UNIQUE INDEX bed_assignments_current_patient_idx ON bed_assignments (site_id, patient_id) WHERE upper_inf(during);
CREATE INDEX bed_assignments_upper_idx ON bed_assignments (site_id, upper(during)) WHERE NOT upper_inf(during);

CREATE TABLE nucleic_acid_tests (
    site_id     bigint NOT NULL,
    id          bigint GENERATED ALWAYS AS IDENTITY,
    patient_id  bigint NOT NULL,
    sampled_at  timestamptz NOT NULL,
    result      text NOT NULL CONSTRAINT nucleic_acid_tests_result_check CHECK (result IN ('positive', 'negative')),
    n_gene_ct   double precision CONSTRAINT nucleic_acid_tests_n_gene_ct_check CHECK (n_gene_ct BETWEEN 0 AND 50),
    orf1ab_ct   double precision CONSTRAINT nucleic_acid_tests_orf1ab_ct_check CHECK (orf1ab_ct BETWEEN 0 AND 50),
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, id),
    CONSTRAINT nucleic_acid_tests_patient_fkey FOREIGN KEY (site_id, patient_id) REFERENCES patients (site_id, id)
);
CREATE INDEX nucleic_acid_tests_patient_idx ON nucleic_acid_tests (site_id, patient_id, sampled_at);

CREATE TABLE users (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username     text NOT NULL CONSTRAINT users_username_key UNIQUE
                 CONSTRAINT users_username_format CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
    display_name text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE grants (
    user_id    bigint NOT NULL REFERENCES users (id),
    role       text NOT NULL CONSTRAINT grants_role_check CHECK (role IN
               ('admin', 'site_manager', 'clinician', 'pharmacist', 'branch_secretary', 'hospital_system')),
    site_id    bigint REFERENCES sites (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    -- Admin is the only role held across all sites.
    CONSTRAINT grants_site_scope CHECK ((role = 'admin') = (site_id IS NULL))
);
CREATE UNIQUE INDEX grants_site_role_key ON grants (user_id, role, site_id) WHERE site_id IS NOT NULL;
CREATE UNIQUE INDEX grants_admin_key ON grants (user_id) WHERE site_id IS NULL;

-- Bearer tokens are stored only as SHA-256 hashes.
CREATE TABLE api_tokens (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id),
    token_hash text NOT NULL CONSTRAINT api_tokens_token_hash_key UNIQUE,
    label      text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz,
    revoked_at timestamptz
);

CREATE TABLE audit_log (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at            timestamptz NOT NULL DEFAULT now(),
    site_id       bigint,
    actor_user_id bigint,
    actor_name    text NOT NULL,
    role          text NOT NULL,
    request_id    text,
    cli_operator  text,
    action        text NOT NULL,
    entity        text NOT NULL,
    entity_id     text,
    before        jsonb,
    after         jsonb
);
CREATE INDEX audit_log_site_idx ON audit_log (site_id, id);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id);

-- The audit trail is append-only: the database refuses to change or remove its rows.
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only; % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

-- A create retried with the same Idempotency-Key returns the first answer.
CREATE TABLE idempotency_keys (
    scope        text NOT NULL,
    key          text NOT NULL,
    fingerprint  text NOT NULL,
    response     text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
);
