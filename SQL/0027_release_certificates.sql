-- Release certificates: one per patient released as recovered, issued by the database in the
-- same statement as the discharge, whichever way it is made (a batch release, a single
-- discharge), so no recovered patient is without one. A reprint reads the same row; revocation
-- marks it, with the reason, and never deletes it.

CREATE TABLE release_certificates (
    site_id         bigint NOT NULL,
    id              bigint GENERATED ALWAYS AS IDENTITY,
    patient_id      bigint NOT NULL,
    released_at     timestamptz NOT NULL,
    issued_at       timestamptz NOT NULL DEFAULT now(),
    revoked_at      timestamptz,
    revoked_by      text,
    revoked_reason  text CONSTRAINT release_certificates_revoked_reason_check
                    CHECK (length(revoked_reason) BETWEEN 1 AND 500),
    PRIMARY KEY (site_id, id),
    CONSTRAINT release_certificates_patient_key UNIQUE (site_id, patient_id),
    CONSTRAINT release_certificates_patient_fkey FOREIGN KEY (site_id, patient_id) REFERENCES patients (site_id, id),
    CONSTRAINT release_certificates_revocation_complete
        CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL) AND (revoked_at IS NULL) = (revoked_by IS NULL))
);

-- The key (hex) that signs a site's certificate codes, made on first use and never sent
-- anywhere: two random UUIDs (PostgreSQL draws them from its strong random source) give 244
-- random bits.
CREATE TABLE release_certificate_keys (
    site_id     bigint PRIMARY KEY REFERENCES sites (id),
    signing_key text NOT NULL DEFAULT replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')
                CONSTRAINT release_certificate_keys_signing_key_check CHECK (length(signing_key) = 64)
);

CREATE FUNCTION release_certificates_issue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO release_certificates (site_id, patient_id, released_at)
    VALUES (NEW.site_id, NEW.id, NEW.discharged_at)
    ON CONFLICT (site_id, patient_id) DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER patients_issue_release_certificate AFTER UPDATE OF status ON patients
    FOR EACH ROW WHEN (OLD.status = 'admitted' AND NEW.status = 'discharged' AND NEW.discharge_reason = 'recovered')
    EXECUTE FUNCTION release_certificates_issue();

-- Patients released before certificates existed get theirs now.
INSERT INTO release_certificates (site_id, patient_id, released_at)
SELECT site_id, id, discharged_at FROM patients WHERE status = 'discharged' AND discharge_reason = 'recovered';
