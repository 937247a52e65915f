-- The daily swab round: one tube (specimen) per due patient per day, each with an accession
-- number from one sequence for the whole database, so that no two sites ever print the same
-- number and a laboratory can find a tube without knowing its site.

-- How often a site swabs; a site without a row uses the defaults (from the day after admission,
-- daily).
CREATE TABLE swab_schedules (
    site_id                    bigint PRIMARY KEY REFERENCES sites (id),
    first_day_after_admission  smallint NOT NULL CONSTRAINT swab_schedules_first_day_check
                               CHECK (first_day_after_admission BETWEEN 0 AND 7),
    interval_days              smallint NOT NULL CONSTRAINT swab_schedules_interval_check
                               CHECK (interval_days BETWEEN 1 AND 7),
    updated_at                 timestamptz NOT NULL DEFAULT now()
);

-- Ten digits: the accession number prints them with a check character.
CREATE SEQUENCE specimen_accession_seq AS bigint MINVALUE 1 MAXVALUE 9999999999;

CREATE TABLE specimens (
    site_id              bigint NOT NULL,
    accession            bigint NOT NULL DEFAULT nextval('specimen_accession_seq'),
    round_date           date NOT NULL,
    patient_id           bigint NOT NULL,
    zone_id              bigint NOT NULL,
    bed_id               bigint NOT NULL,
    status               text NOT NULL DEFAULT 'due' CONSTRAINT specimens_status_check
                         CHECK (status IN ('due', 'collected', 'not_collected', 'sent', 'resulted', 'cancelled')),
    not_collected_reason text CONSTRAINT specimens_not_collected_reason_check
                         CHECK (not_collected_reason IN ('refused', 'asleep', 'transferred', 'other')),
    cancellation         text CONSTRAINT specimens_cancellation_check CHECK (cancellation IN ('discharged')),
    collected_at         timestamptz,
    collected_by         bigint REFERENCES users (id),
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, accession),
    -- A patient is swabbed at most once a day: making a round twice adds only who became due.
    CONSTRAINT specimens_patient_day_key UNIQUE (site_id, patient_id, round_date),
    CONSTRAINT specimens_patient_fkey FOREIGN KEY (site_id, patient_id) REFERENCES patients (site_id, id),
    CONSTRAINT specimens_zone_fkey FOREIGN KEY (site_id, zone_id) REFERENCES zones (site_id, id),
    CONSTRAINT specimens_bed_fkey FOREIGN KEY (site_id, bed_id) REFERENCES beds (site_id, id),
    CONSTRAINT specimens_state_consistent CHECK (
        (not_collected_reason IS NOT NULL) = (status = 'not_collected')
        AND (cancellation IS NOT NULL) = (status = 'cancelled')
        AND (collected_at IS NOT NULL) = (status IN ('collected', 'sent', 'resulted')))
);
-- A laboratory names a tube by its accession alone.
CREATE UNIQUE INDEX specimens_accession_key ON specimens (accession);
-- A round's tubes by zone and bed, as the labels print and the nurses walk.
CREATE INDEX specimens_round_idx ON specimens (site_id, round_date, zone_id, bed_id);
