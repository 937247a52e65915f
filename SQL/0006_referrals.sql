-- Green-channel referrals: hospitals and their departments, the hospital systems' users, and
-- referrals with their timeline. A referral is site-scoped; hospitals are shared by a city.

CREATE TABLE hospitals (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code           text NOT NULL CONSTRAINT hospitals_code_key UNIQUE,
    name           text NOT NULL,
    contact_name   text NOT NULL DEFAULT '',
    contact_phone  text NOT NULL DEFAULT '',
    webhook_url    text,
    -- The HMAC key webhook deliveries are signed with; shown once when set.
    webhook_secret text,
    version        integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE hospital_departments (
    hospital_id bigint NOT NULL REFERENCES hospitals (id),
    id          bigint GENERATED ALWAYS AS IDENTITY,
    code        text NOT NULL,
    name        text NOT NULL,
    services    text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (hospital_id, id),
    CONSTRAINT hospital_departments_code_key UNIQUE (hospital_id, code)
);

-- A hospital_system user acts for one hospital and sees only referrals addressed to it.
CREATE TABLE hospital_users (
    user_id     bigint PRIMARY KEY REFERENCES users (id),
    hospital_id bigint NOT NULL REFERENCES hospitals (id)
);

CREATE TABLE referrals (
    site_id           bigint NOT NULL,
    id                bigint GENERATED ALWAYS AS IDENTITY,
    patient_id        bigint NOT NULL,
    hospital_id       bigint NOT NULL REFERENCES hospitals (id),
    department_id     bigint,
    reason            text NOT NULL,
    clinical_summary  text NOT NULL,
    services          text[] NOT NULL CONSTRAINT referrals_services_check CHECK (cardinality(services) > 0),
    urgency           text NOT NULL CONSTRAINT referrals_urgency_check CHECK (urgency IN ('routine', 'urgent', 'emergency')),
    fast_lane         boolean NOT NULL DEFAULT false,
    committee_contact text NOT NULL DEFAULT '',
    requested_by      text NOT NULL,
    status            text NOT NULL DEFAULT 'requested' CONSTRAINT referrals_status_check CHECK (status IN
                      ('requested', 'accepted', 'rejected', 'scheduled', 'transport_arranged', 'in_transit', 'arrived',
                       'completed', 'cancelled', 'failed')),
    appointment_at    timestamptz,
    outcome           text CONSTRAINT referrals_outcome_check CHECK (outcome IN ('admitted', 'returned')),
    version           integer NOT NULL DEFAULT 1,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, id),
    CONSTRAINT referrals_patient_fkey FOREIGN KEY (site_id, patient_id) REFERENCES patients (site_id, id),
    CONSTRAINT referrals_department_fkey FOREIGN KEY (hospital_id, department_id) REFERENCES hospital_departments (hospital_id, id),
    CONSTRAINT referrals_scheduled_has_time CHECK (status NOT IN ('scheduled', 'transport_arranged', 'in_transit') OR appointment_at IS NOT NULL),
    CONSTRAINT referrals_completed_has_outcome CHECK (status <> 'completed' OR outcome IS NOT NULL)
);
CREATE INDEX referrals_hospital_idx ON referrals (hospital_id, updated_at, id);

CREATE TABLE referral_events (
    site_id     bigint NOT NULL,
    id          bigint GENERATED ALWAYS AS IDENTITY,
    referral_id bigint NOT NULL,
    from_status text,
    to_status   text,
    actor_name  text NOT NULL,
    role        text NOT NULL,
    note        text NOT NULL DEFAULT '' CONSTRAINT referral_events_note_length CHECK (length(note) <= 2000),
    at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, id),
    CONSTRAINT referral_events_referral_fkey FOREIGN KEY (site_id, referral_id) REFERENCES referrals (site_id, id)
);
CREATE TRIGGER referral_events_append_only BEFORE UPDATE OR DELETE ON referral_events
    FOR EACH ROW EXECUTE FUNCTION refuse_change_append_only();
