-- A dose that was due and not given, with the reason (the patient refused it, was asleep, was
-- away at hospital...): the other half of the medication administration record. One per dose.
CREATE TABLE dose_omissions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id     bigint NOT NULL,
    activity_id bigint NOT NULL,
    due_on      date NOT NULL,
    due_time    text NOT NULL CONSTRAINT dose_omissions_time_format CHECK (due_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
    reason      text NOT NULL CONSTRAINT dose_omissions_reason_length CHECK (char_length(reason) BETWEEN 1 AND 500),
    recorded_by text NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT dose_omissions_activity_fkey FOREIGN KEY (site_id, activity_id) REFERENCES care_activities (site_id, id),
    CONSTRAINT dose_omissions_once UNIQUE (site_id, activity_id, due_on, due_time)
);
