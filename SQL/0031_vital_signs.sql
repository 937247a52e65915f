-- The deterioration watch, first part: sets of vital signs taken at the bedside, with or
-- without a care plan, each scored by NEWS2 when it is complete. A partial set is kept with no
-- score. SpO2 is scored on scale 2 only for a patient a clinician has marked as having
-- hypercapnic respiratory failure; the scale used is kept with each set.

ALTER TABLE patients ADD COLUMN spo2_scale smallint NOT NULL DEFAULT 1
    CONSTRAINT patients_spo2_scale_check CHECK (spo2_scale IN (1, 2));

CREATE TABLE vital_signs (
    site_id          bigint NOT NULL,
    id               bigint GENERATED ALWAYS AS IDENTITY,
    patient_id       bigint NOT NULL,
    -- When the set was taken at the bedside; recorded_at is when it reached Cordon.
    taken_at         timestamptz NOT NULL,
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    taken_by         text NOT NULL CONSTRAINT vital_signs_taken_by_check CHECK (length(taken_by) BETWEEN 1 AND 100),
    respiration_rate smallint CONSTRAINT vital_signs_respiration_check CHECK (respiration_rate BETWEEN 1 AND 80),
    spo2             smallint CONSTRAINT vital_signs_spo2_check CHECK (spo2 BETWEEN 50 AND 100),
    spo2_scale       smallint NOT NULL CONSTRAINT vital_signs_spo2_scale_check CHECK (spo2_scale IN (1, 2)),
    on_oxygen        boolean,
    systolic         smallint CONSTRAINT vital_signs_systolic_check CHECK (systolic BETWEEN 40 AND 300),
    pulse            smallint CONSTRAINT vital_signs_pulse_check CHECK (pulse BETWEEN 20 AND 250),
    consciousness    text CONSTRAINT vital_signs_consciousness_check
                     CHECK (consciousness IN ('alert', 'confusion', 'voice', 'pain', 'unresponsive')),
    temperature      numeric(3, 1) CONSTRAINT vital_signs_temperature_check CHECK (temperature BETWEEN 30 AND 45),
    -- NEWS2, present exactly when all seven parameters are.
    score            smallint CONSTRAINT vital_signs_score_check CHECK (score BETWEEN 0 AND 20),
    red_score        boolean,
    response         text CONSTRAINT vital_signs_response_check CHECK (response IN ('low', 'low_medium', 'medium', 'high')),
    PRIMARY KEY (site_id, id),
    CONSTRAINT vital_signs_patient_fkey FOREIGN KEY (site_id, patient_id) REFERENCES patients (site_id, id),
    CONSTRAINT vital_signs_scored_when_complete CHECK (
        (score IS NOT NULL) = (respiration_rate IS NOT NULL AND spo2 IS NOT NULL AND on_oxygen IS NOT NULL
                               AND systolic IS NOT NULL AND pulse IS NOT NULL AND consciousness IS NOT NULL
                               AND temperature IS NOT NULL)
        AND (score IS NULL) = (red_score IS NULL) AND (score IS NULL) = (response IS NULL))
);
CREATE INDEX vital_signs_patient_idx ON vital_signs (site_id, patient_id, taken_at DESC, id DESC);

-- A temperature in a set of vital signs is a temperature like one in a care plan's observations:
-- at or above the site's fever line after a release sign-off, it withdraws the sign-off.
CREATE FUNCTION release_sign_offs_withdraw_on_vital_fever() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE release_sign_offs s SET withdrawn_at = now(), withdrawn_reason = 'fever',
           withdrawn_detail = to_char(NEW.temperature, 'FM990.0')
    WHERE s.site_id = NEW.site_id AND s.patient_id = NEW.patient_id AND s.withdrawn_at IS NULL
      AND NEW.taken_at > s.signed_at
      AND NEW.temperature >= coalesce((SELECT fever_celsius FROM release_criteria WHERE site_id = NEW.site_id), 37.3);
    RETURN NULL;
END $$;
CREATE TRIGGER vital_signs_withdraw_release_sign_off AFTER INSERT ON vital_signs
    FOR EACH ROW WHEN (NEW.temperature IS NOT NULL) EXECUTE FUNCTION release_sign_offs_withdraw_on_vital_fever();
