-- The deterioration watch's escalation: a complete set of vital signs scoring NEWS2 5 or more,
-- or 3 in a single parameter, raises an alert for an urgent review, addressed to the
-- clinicians (doctors and nurses) on the published roster in the patient's zone at that
-- moment; 7 or more raises an emergency. A patient has at most one open alert: a worse reading
-- while one is open raises its level instead of adding another. A clinician acknowledges it
-- (who, when, what was done); unacknowledged past ALERT_ESCALATE_MINUTES it is escalated to the
-- site's managers.

CREATE TABLE deterioration_alerts (
    site_id          bigint NOT NULL,
    id               bigint GENERATED ALWAYS AS IDENTITY,
    patient_id       bigint NOT NULL,
    -- The set that raised it, or that last raised its level.
    vital_signs_id   bigint NOT NULL,
    level            text NOT NULL CONSTRAINT deterioration_alerts_level_check CHECK (level IN ('urgent', 'emergency')),
    score            smallint NOT NULL CONSTRAINT deterioration_alerts_score_check CHECK (score BETWEEN 0 AND 20),
    -- Where the patient lay when it was raised, and the staff on shift there then.
    zone_id          bigint,
    addressed_to     bigint[] NOT NULL,
    raised_at        timestamptz NOT NULL DEFAULT now(),
    acknowledged_at  timestamptz,
    acknowledged_by  text,
    action_taken     text CONSTRAINT deterioration_alerts_action_check CHECK (length(action_taken) BETWEEN 1 AND 500),
    PRIMARY KEY (site_id, id),
    CONSTRAINT deterioration_alerts_patient_fkey FOREIGN KEY (site_id, patient_id) REFERENCES patients (site_id, id),
    CONSTRAINT deterioration_alerts_vital_signs_fkey FOREIGN KEY (site_id, vital_signs_id) REFERENCES vital_signs (site_id, id),
    CONSTRAINT deterioration_alerts_acknowledgement_complete CHECK (
        (acknowledged_at IS NULL) = (acknowledged_by IS NULL) AND (acknowledged_at IS NULL) = (action_taken IS NULL))
);
-- One open alert per patient, whatever two nurses record at once.
CREATE UNIQUE INDEX deterioration_alerts_open_key ON deterioration_alerts (site_id, patient_id) WHERE acknowledged_at IS NULL;
CREATE INDEX deterioration_alerts_recent_idx ON deterioration_alerts (site_id, raised_at DESC);
