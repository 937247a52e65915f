-- A site may ask, before anyone goes home, that the latest complete set of vital signs scores
-- NEWS2 2 or less and no more than the set before it.
ALTER TABLE release_criteria ADD COLUMN news2_stable boolean NOT NULL DEFAULT false;
-- The release list reads each patient's last two scored sets.
CREATE INDEX vital_signs_scored_idx ON vital_signs (site_id, patient_id, taken_at DESC, id DESC) WHERE score IS NOT NULL;
