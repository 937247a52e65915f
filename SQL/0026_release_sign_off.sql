-- Release from isolation, the clinical half: the criteria a site adds to the test rule (no fever
-- for some hours, symptoms judged improved), a clinician's sign-off, and its withdrawal when a
-- result or a temperature after it says the patient is not ready after all. The withdrawals are
-- triggers, so that every way a result or a temperature arrives (by hand, a laboratory, a
-- device, a recomputed rule) withdraws the same way.

-- A site without a row asks only for the test rule.
CREATE TABLE release_criteria (
    site_id           bigint PRIMARY KEY REFERENCES sites (id),
    -- Hours without a fever before release; NULL when the site does not ask.
    no_fever_hours    smallint CONSTRAINT release_criteria_no_fever_hours_check CHECK (no_fever_hours BETWEEN 24 AND 168),
    -- A temperature at or above this is a fever.
    fever_celsius     numeric(3, 1) NOT NULL DEFAULT 37.3
                      CONSTRAINT release_criteria_fever_celsius_check CHECK (fever_celsius BETWEEN 37.0 AND 38.5),
    -- Whether the clinician who signs off must judge the symptoms improved.
    symptoms_improved boolean NOT NULL DEFAULT false,
    updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE release_sign_offs (
    site_id           bigint NOT NULL,
    id                bigint GENERATED ALWAYS AS IDENTITY,
    patient_id        bigint NOT NULL,
    signed_by_user_id bigint REFERENCES users (id),
    signed_by         text NOT NULL,
    signed_at         timestamptz NOT NULL DEFAULT now(),
    symptoms_improved boolean NOT NULL,
    note              text CONSTRAINT release_sign_offs_note_check CHECK (length(note) <= 500),
    withdrawn_at      timestamptz,
    -- tests: a result after the sign-off broke the run of clear tests; fever: a temperature at
    -- or above the site's fever line was taken after it; clinician: withdrawn by hand.
    withdrawn_reason  text CONSTRAINT release_sign_offs_withdrawn_reason_check
                      CHECK (withdrawn_reason IN ('tests', 'fever', 'clinician')),
    withdrawn_detail  text,
    PRIMARY KEY (site_id, id),
    CONSTRAINT release_sign_offs_patient_fkey FOREIGN KEY (site_id, patient_id) REFERENCES patients (site_id, id),
    CONSTRAINT release_sign_offs_withdrawal_complete CHECK ((withdrawn_at IS NULL) = (withdrawn_reason IS NULL))
);
-- At most one standing sign-off per patient: signing twice is refused, not stacked.
CREATE UNIQUE INDEX release_sign_offs_standing_key ON release_sign_offs (site_id, patient_id) WHERE withdrawn_at IS NULL;

CREATE FUNCTION release_sign_offs_withdraw_on_tests() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- "positive" when a positive result arrived after the sign-off; otherwise a later result
    -- broke the run in another way (a Ct below the line, say).
    UPDATE release_sign_offs s SET withdrawn_at = now(), withdrawn_reason = 'tests',
           withdrawn_detail = CASE WHEN EXISTS (
               SELECT 1 FROM nucleic_acid_tests t
               WHERE t.site_id = s.site_id AND t.patient_id = s.patient_id AND t.result = 'positive'
                 AND t.recorded_at >= s.signed_at) THEN 'positive' ELSE 'not_eligible' END
    WHERE s.site_id = NEW.site_id AND s.patient_id = NEW.id AND s.withdrawn_at IS NULL;
    RETURN NULL;
END $$;
CREATE TRIGGER patients_withdraw_release_sign_off AFTER UPDATE OF release_eligible ON patients
    FOR EACH ROW WHEN (OLD.release_eligible AND NOT NEW.release_eligible AND NEW.status = 'admitted')
    EXECUTE FUNCTION release_sign_offs_withdraw_on_tests();

CREATE FUNCTION release_sign_offs_withdraw_on_fever() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE release_sign_offs s SET withdrawn_at = now(), withdrawn_reason = 'fever',
           withdrawn_detail = to_char(NEW.value, 'FM990.0')
    FROM care_plans c LEFT JOIN release_criteria r ON r.site_id = c.site_id
    WHERE c.site_id = NEW.site_id AND c.id = NEW.plan_id
      AND s.site_id = c.site_id AND s.patient_id = c.patient_id AND s.withdrawn_at IS NULL
      AND NEW.observed_at > s.signed_at AND NEW.value >= coalesce(r.fever_celsius, 37.3);
    RETURN NULL;
END $$;
CREATE TRIGGER observations_withdraw_release_sign_off AFTER INSERT ON observations
    FOR EACH ROW WHEN (NEW.measure = 'temperature') EXECUTE FUNCTION release_sign_offs_withdraw_on_fever();

