-- The census's numbers kept as counts, so it reads a few rows whatever the size and history of
-- the site: beds per zone and status, admissions and discharges per local day, admitted and
-- release-eligible patients per site. Triggers keep them, so every path that writes beds or
-- patients counts. A writer only ever INSERTs a change row (no shared counter row is locked, so
-- concurrent admissions neither wait for each other nor deadlock); the census adds the changes
-- to the totals, and housekeeping folds them in.

CREATE TABLE bed_status_counts (
    site_id bigint NOT NULL,
    zone_id bigint NOT NULL,
    status  text NOT NULL,
    beds    bigint NOT NULL,
    PRIMARY KEY (site_id, zone_id, status)
);
CREATE TABLE bed_status_changes (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id bigint NOT NULL,
    zone_id bigint NOT NULL,
    status  text NOT NULL,
    change  integer NOT NULL
);
CREATE INDEX bed_status_changes_site_idx ON bed_status_changes (site_id);

CREATE FUNCTION count_bed_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO bed_status_changes (site_id, zone_id, status, change)
        VALUES (OLD.site_id, OLD.zone_id, OLD.status, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO bed_status_changes (site_id, zone_id, status, change)
        VALUES (NEW.site_id, NEW.zone_id, NEW.status, 1);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER beds_count_insert_delete AFTER INSERT OR DELETE ON beds
    FOR EACH ROW EXECUTE FUNCTION count_bed_status();
CREATE TRIGGER beds_count_update AFTER UPDATE OF status, zone_id ON beds
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.zone_id IS DISTINCT FROM NEW.zone_id)
    EXECUTE FUNCTION count_bed_status();

-- Admissions and discharges by the local day of the site (its time zone when written).
CREATE TABLE patient_day_counts (
    site_id    bigint NOT NULL,
    day        date NOT NULL,
    admissions bigint NOT NULL,
    discharges bigint NOT NULL,
    PRIMARY KEY (site_id, day)
);
CREATE TABLE patient_day_changes (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id    bigint NOT NULL,
    day        date NOT NULL,
    admissions integer NOT NULL,
    discharges integer NOT NULL
);
CREATE INDEX patient_day_changes_site_idx ON patient_day_changes (site_id, day);

-- Admitted and release-eligible patients per site.
CREATE TABLE patient_site_counts (
    site_id  bigint PRIMARY KEY,
    admitted bigint NOT NULL,
    eligible bigint NOT NULL
);
CREATE TABLE patient_site_changes (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id  bigint NOT NULL,
    admitted integer NOT NULL,
    eligible integer NOT NULL
);
CREATE INDEX patient_site_changes_site_idx ON patient_site_changes (site_id);

CREATE FUNCTION site_day(site bigint, at timestamptz) RETURNS date LANGUAGE sql STABLE AS $$
    SELECT (at AT TIME ZONE (SELECT time_zone FROM sites WHERE id = site))::date
$$;

CREATE FUNCTION count_patient() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    admitted integer := 0;
    eligible integer := 0;
    days_moved boolean := TG_OP <> 'UPDATE';
BEGIN
    IF TG_OP = 'UPDATE' THEN
        days_moved := OLD.admitted_at IS DISTINCT FROM NEW.admitted_at
                      OR OLD.discharged_at IS DISTINCT FROM NEW.discharged_at;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF days_moved THEN
            INSERT INTO patient_day_changes (site_id, day, admissions, discharges)
            SELECT OLD.site_id, site_day(OLD.site_id, OLD.admitted_at), -1, 0
            UNION ALL
            SELECT OLD.site_id, site_day(OLD.site_id, OLD.discharged_at), 0, -1 WHERE OLD.discharged_at IS NOT NULL;
        END IF;
        admitted := admitted - (OLD.status = 'admitted')::int;
        eligible := eligible - (OLD.status = 'admitted' AND OLD.release_eligible)::int;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF days_moved THEN
            INSERT INTO patient_day_changes (site_id, day, admissions, discharges)
            SELECT NEW.site_id, site_day(NEW.site_id, NEW.admitted_at), 1, 0
            UNION ALL
            SELECT NEW.site_id, site_day(NEW.site_id, NEW.discharged_at), 0, 1 WHERE NEW.discharged_at IS NOT NULL;
        END IF;
        admitted := admitted + (NEW.status = 'admitted')::int;
        eligible := eligible + (NEW.status = 'admitted' AND NEW.release_eligible)::int;
    END IF;
    IF admitted <> 0 OR eligible <> 0 THEN
        INSERT INTO patient_site_changes (site_id, admitted, eligible)
        VALUES (CASE WHEN TG_OP = 'DELETE' THEN OLD.site_id ELSE NEW.site_id END, admitted, eligible);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER patients_count_insert_delete AFTER INSERT OR DELETE ON patients
    FOR EACH ROW EXECUTE FUNCTION count_patient();
-- Only what the counts read: an edit of a phone number writes nothing here.
CREATE TRIGGER patients_count_update AFTER UPDATE OF admitted_at, discharged_at, status, release_eligible ON patients
    FOR EACH ROW WHEN (OLD.admitted_at IS DISTINCT FROM NEW.admitted_at
                       OR OLD.discharged_at IS DISTINCT FROM NEW.discharged_at
                       OR OLD.status IS DISTINCT FROM NEW.status
                       OR OLD.release_eligible IS DISTINCT FROM NEW.release_eligible)
    EXECUTE FUNCTION count_patient();

-- A site that moves to another time zone has its days counted again from its patients.
CREATE FUNCTION recount_site_days() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM patient_day_changes WHERE site_id = NEW.id;
    DELETE FROM patient_day_counts WHERE site_id = NEW.id;
    INSERT INTO patient_day_counts (site_id, day, admissions, discharges)
    SELECT NEW.id, day, sum(a), sum(d) FROM (
        SELECT (admitted_at AT TIME ZONE NEW.time_zone)::date AS day, 1 AS a, 0 AS d FROM patients WHERE site_id = NEW.id
        UNION ALL
        SELECT (discharged_at AT TIME ZONE NEW.time_zone)::date, 0, 1 FROM patients
        WHERE site_id = NEW.id AND discharged_at IS NOT NULL
    ) m GROUP BY day;
    RETURN NULL;
END $$;
CREATE TRIGGER sites_recount_days AFTER UPDATE OF time_zone ON sites
    FOR EACH ROW WHEN (OLD.time_zone IS DISTINCT FROM NEW.time_zone) EXECUTE FUNCTION recount_site_days();

-- What is there already.
INSERT INTO bed_status_counts (site_id, zone_id, status, beds)
SELECT site_id, zone_id, status, count(*) FROM beds GROUP BY site_id, zone_id, status;
INSERT INTO patient_day_counts (site_id, day, admissions, discharges)
SELECT site_id, day, sum(a), sum(d) FROM (
    SELECT p.site_id, (p.admitted_at AT TIME ZONE s.time_zone)::date AS day, 1 AS a, 0 AS d
    FROM patients p JOIN sites s ON s.id = p.site_id
    UNION ALL
    SELECT p.site_id, (p.discharged_at AT TIME ZONE s.time_zone)::date, 0, 1
    FROM patients p JOIN sites s ON s.id = p.site_id WHERE p.discharged_at IS NOT NULL
) m GROUP BY site_id, day;
INSERT INTO patient_site_counts (site_id, admitted, eligible)
SELECT site_id, count(*) FILTER (WHERE status = 'admitted'), count(*) FILTER (WHERE status = 'admitted' AND release_eligible)
FROM patients GROUP BY site_id;
