-- The district board's bed figures kept as counts, as the census's are (0017): per site, beds by
-- status, whether someone expected on a bus is proposed for them, the sex their room or bay is
-- kept for ('' for either) and their marks. Triggers on beds and on intake persons write a change
-- row per change; the board adds the changes to the totals, and housekeeping folds them in.
--
-- A bed's two sides are written by different tables, so each trigger reads the other side
-- afresh: a bed's trigger asks whether a person holds it, and a person's trigger locks the bed
-- and reads its state, so two transactions changing one bed from both sides still add up.

CREATE TABLE bed_availability_counts (
    site_id      bigint NOT NULL,
    status       text NOT NULL,
    held         boolean NOT NULL,
    single_sex   text NOT NULL,
    near_station boolean NOT NULL,
    accessible   boolean NOT NULL,
    oxygen       boolean NOT NULL,
    beds         bigint NOT NULL,
    PRIMARY KEY (site_id, status, held, single_sex, near_station, accessible, oxygen)
);
CREATE TABLE bed_availability_changes (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id      bigint NOT NULL,
    status       text NOT NULL,
    held         boolean NOT NULL,
    single_sex   text NOT NULL,
    near_station boolean NOT NULL,
    accessible   boolean NOT NULL,
    oxygen       boolean NOT NULL,
    change       integer NOT NULL
);
CREATE INDEX bed_availability_changes_site_idx ON bed_availability_changes (site_id);

CREATE FUNCTION count_bed_availability() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bed beds;
    held boolean;
BEGIN
    bed := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    held := EXISTS (SELECT 1 FROM intake_persons i WHERE i.site_id = bed.site_id AND i.bed_id = bed.id);
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO bed_availability_changes
            (site_id, status, held, single_sex, near_station, accessible, oxygen, change)
        VALUES (OLD.site_id, OLD.status, held, coalesce(OLD.single_sex, ''), OLD.near_station, OLD.accessible,
                OLD.oxygen, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO bed_availability_changes
            (site_id, status, held, single_sex, near_station, accessible, oxygen, change)
        VALUES (NEW.site_id, NEW.status, held, coalesce(NEW.single_sex, ''), NEW.near_station, NEW.accessible,
                NEW.oxygen, 1);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER beds_availability_insert_delete AFTER INSERT OR DELETE ON beds
    FOR EACH ROW EXECUTE FUNCTION count_bed_availability();
CREATE TRIGGER beds_availability_update AFTER UPDATE OF status, single_sex, near_station, accessible, oxygen ON beds
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.single_sex IS DISTINCT FROM NEW.single_sex
                       OR OLD.near_station IS DISTINCT FROM NEW.near_station
                       OR OLD.accessible IS DISTINCT FROM NEW.accessible OR OLD.oxygen IS DISTINCT FROM NEW.oxygen)
    EXECUTE FUNCTION count_bed_availability();

-- A bed proposed for someone expected, or let go: the bed moves between held and not. The bed
-- is locked and read afresh, so a change to it from its own side waits and then counts right.
CREATE FUNCTION move_bed_hold(p_site bigint, p_bed bigint, p_held boolean) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    bed beds;
BEGIN
    SELECT * INTO bed FROM beds WHERE site_id = p_site AND id = p_bed FOR UPDATE;
    IF FOUND THEN
        INSERT INTO bed_availability_changes
            (site_id, status, held, single_sex, near_station, accessible, oxygen, change)
        SELECT bed.site_id, bed.status, h.held, coalesce(bed.single_sex, ''), bed.near_station, bed.accessible,
               bed.oxygen, CASE WHEN h.held = p_held THEN 1 ELSE -1 END
        FROM (VALUES (true), (false)) AS h(held);
    END IF;
END $$;

CREATE FUNCTION count_bed_hold() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.bed_id IS NOT NULL THEN
        PERFORM move_bed_hold(OLD.site_id, OLD.bed_id, false);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.bed_id IS NOT NULL THEN
        PERFORM move_bed_hold(NEW.site_id, NEW.bed_id, true);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER intake_persons_hold_insert_delete AFTER INSERT OR DELETE ON intake_persons
    FOR EACH ROW EXECUTE FUNCTION count_bed_hold();
CREATE TRIGGER intake_persons_hold_update AFTER UPDATE OF bed_id ON intake_persons
    FOR EACH ROW WHEN (OLD.bed_id IS DISTINCT FROM NEW.bed_id) EXECUTE FUNCTION count_bed_hold();

-- What is there already.
INSERT INTO bed_availability_counts (site_id, status, held, single_sex, near_station, accessible, oxygen, beds)
SELECT b.site_id, b.status, i.id IS NOT NULL, coalesce(b.single_sex, ''), b.near_station, b.accessible, b.oxygen,
       count(*)
FROM beds b LEFT JOIN intake_persons i ON i.site_id = b.site_id AND i.bed_id = b.id
GROUP BY 1, 2, 3, 4, 5, 6, 7;
