-- Care plans: one active plan per patient, with medication and monitoring orders, assessments
-- and recovery activities, and the observations recorded against them. A dispense against a
-- medication order links the stock ledger to the order: the medication administration record.

CREATE TABLE care_plans (
    site_id        bigint NOT NULL,
    id             bigint GENERATED ALWAYS AS IDENTITY,
    patient_id     bigint NOT NULL,
    status         text NOT NULL DEFAULT 'draft' CONSTRAINT care_plans_status_check
                   CHECK (status IN ('draft', 'active', 'completed', 'revoked')),
    conditions     text[] NOT NULL DEFAULT '{}',
    goals          text NOT NULL DEFAULT '',
    review_on      date NOT NULL,
    author_user_id bigint,
    author_name    text NOT NULL,
    version        integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, id),
    CONSTRAINT care_plans_patient_fkey FOREIGN KEY (site_id, patient_id) REFERENCES patients (site_id, id)
);
-- One active plan per patient at a time.
CREATE UNIQUE INDEX care_plans_one_active ON care_plans (site_id, patient_id) WHERE status = 'active';
CREATE INDEX care_plans_review_idx ON care_plans (site_id, review_on) WHERE status = 'active';

CREATE TABLE care_activities (
    site_id       bigint NOT NULL,
    id            bigint GENERATED ALWAYS AS IDENTITY,
    plan_id       bigint NOT NULL,
    kind          text NOT NULL CONSTRAINT care_activities_kind_check
                  CHECK (kind IN ('medication', 'monitoring', 'assessment', 'recovery')),
    description   text NOT NULL DEFAULT '',
    medication_id bigint REFERENCES medications (id),
    dose_units    integer CONSTRAINT care_activities_dose_check CHECK (dose_units > 0),
    route         text,
    times_of_day  text[] NOT NULL DEFAULT '{}',
    measure       text CONSTRAINT care_activities_measure_check
                  CHECK (measure IN ('blood_pressure', 'temperature', 'glucose', 'spo2', 'heart_rate')),
    instrument    text CONSTRAINT care_activities_instrument_check CHECK (instrument IN ('PHQ-9', 'GAD-7')),
    starts_on     date NOT NULL,
    ends_on       date,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, id),
    CONSTRAINT care_activities_plan_fkey FOREIGN KEY (site_id, plan_id) REFERENCES care_plans (site_id, id),
    CONSTRAINT care_activities_dates_check CHECK (ends_on IS NULL OR ends_on >= starts_on),
    CONSTRAINT care_activities_medication_complete CHECK (kind <> 'medication'
        OR (medication_id IS NOT NULL AND dose_units IS NOT NULL AND route IS NOT NULL AND cardinality(times_of_day) > 0)),
    CONSTRAINT care_activities_monitoring_complete CHECK (kind <> 'monitoring' OR (measure IS NOT NULL AND cardinality(times_of_day) > 0)),
    CONSTRAINT care_activities_assessment_complete CHECK (kind <> 'assessment' OR instrument IS NOT NULL)
);
CREATE INDEX care_activities_plan_idx ON care_activities (site_id, plan_id);

CREATE TABLE observations (
    site_id      bigint NOT NULL,
    id           bigint GENERATED ALWAYS AS IDENTITY,
    plan_id      bigint NOT NULL,
    activity_id  bigint,
    measure      text NOT NULL CONSTRAINT observations_measure_check
                 CHECK (measure IN ('blood_pressure', 'temperature', 'glucose', 'spo2', 'heart_rate', 'assessment')),
    observed_at  timestamptz NOT NULL,
    systolic     integer CONSTRAINT observations_systolic_check CHECK (systolic BETWEEN 40 AND 300),
    diastolic    integer CONSTRAINT observations_diastolic_check CHECK (diastolic BETWEEN 20 AND 200),
    value        double precision,
    instrument   text CONSTRAINT observations_instrument_check CHECK (instrument IN ('PHQ-9', 'GAD-7')),
    score        integer CONSTRAINT observations_score_check CHECK (score BETWEEN 0 AND 27),
    note         text,
    flag         text,
    recorded_by  text NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, id),
    CONSTRAINT observations_plan_fkey FOREIGN KEY (site_id, plan_id) REFERENCES care_plans (site_id, id),
    CONSTRAINT observations_activity_fkey FOREIGN KEY (site_id, activity_id) REFERENCES care_activities (site_id, id)
);
CREATE INDEX observations_plan_idx ON observations (site_id, plan_id, observed_at);

ALTER TABLE stock_ledger ADD COLUMN care_activity_id bigint;
ALTER TABLE stock_ledger ADD CONSTRAINT stock_ledger_care_activity_fkey
    FOREIGN KEY (site_id, care_activity_id) REFERENCES care_activities (site_id, id);
CREATE INDEX stock_ledger_care_activity_idx ON stock_ledger (site_id, care_activity_id, occurred_at)
    WHERE care_activity_id IS NOT NULL;
