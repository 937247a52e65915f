-- What a bed is besides its code: the room (a closed room, as in a hotel used for isolation) or
-- the bay (an open part of a hall, as in a makeshift hospital) it stands in, whether it is near
-- the nurses' station, reachable in a wheelchair, or has oxygen, and whether its room or bay is
-- kept for one sex. Intake places people by these.

ALTER TABLE beds
    ADD COLUMN room         text CONSTRAINT beds_room_format CHECK (char_length(room) BETWEEN 1 AND 32),
    ADD COLUMN bay          text CONSTRAINT beds_bay_format CHECK (char_length(bay) BETWEEN 1 AND 32),
    ADD COLUMN near_station boolean NOT NULL DEFAULT false,
    ADD COLUMN accessible   boolean NOT NULL DEFAULT false,
    ADD COLUMN oxygen       boolean NOT NULL DEFAULT false,
    ADD COLUMN single_sex   text CONSTRAINT beds_single_sex_check CHECK (single_sex IN ('female', 'male')),
    ADD CONSTRAINT beds_room_or_bay CHECK (room IS NULL OR bay IS NULL),
    ADD CONSTRAINT beds_single_sex_needs_place CHECK (single_sex IS NULL OR room IS NOT NULL OR bay IS NOT NULL);

-- The room or bay as one key; a room and a bay may share a label without being one place.
ALTER TABLE beds ADD COLUMN place text GENERATED ALWAYS AS
    (CASE WHEN room IS NOT NULL THEN 'room ' || room WHEN bay IS NOT NULL THEN 'bay ' || bay END) STORED;

-- A room or bay lies in one zone and is kept for one sex or for none, whichever of its beds is
-- asked. Checked at the end of each statement, so one UPDATE may re-mark a whole room.
ALTER TABLE beds
    ADD CONSTRAINT beds_place_one_zone EXCLUDE USING gist (site_id WITH =, place WITH =, zone_id WITH <>)
        DEFERRABLE INITIALLY IMMEDIATE,
    ADD CONSTRAINT beds_place_one_sex
        EXCLUDE USING gist (site_id WITH =, place WITH =, (coalesce(single_sex, '')) WITH <>)
        DEFERRABLE INITIALLY IMMEDIATE;

-- Nobody lies in a bed kept for the other sex: not by admission or move, and not by marking a
-- room whose beds are taken. The services explain this first; these triggers are the final word.
CREATE FUNCTION check_bed_assignment_sex() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bed_code text;
BEGIN
    SELECT b.code INTO bed_code FROM beds b JOIN patients p ON p.site_id = b.site_id AND p.id = NEW.patient_id
    WHERE b.site_id = NEW.site_id AND b.id = NEW.bed_id AND b.single_sex IS DISTINCT FROM NULL
      AND b.single_sex <> p.sex;
    IF FOUND THEN
        RAISE EXCEPTION 'bed % is kept for the other sex', bed_code
            USING ERRCODE = 'check_violation', CONSTRAINT = 'bed_assignments_single_sex';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER bed_assignments_single_sex AFTER INSERT ON bed_assignments
    FOR EACH ROW EXECUTE FUNCTION check_bed_assignment_sex();

CREATE FUNCTION check_bed_occupant_sex() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bed_code text;
BEGIN
    SELECT NEW.code INTO bed_code FROM bed_assignments a JOIN patients p ON p.site_id = a.site_id AND p.id = a.patient_id
    WHERE a.site_id = NEW.site_id AND a.bed_id = NEW.id AND upper_inf(a.during) AND p.sex <> NEW.single_sex;
    IF FOUND THEN
        RAISE EXCEPTION 'bed % holds a patient of the other sex', bed_code
            USING ERRCODE = 'check_violation', CONSTRAINT = 'beds_occupant_single_sex';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER beds_occupant_single_sex AFTER UPDATE OF single_sex ON beds
    FOR EACH ROW WHEN (NEW.single_sex IS NOT NULL AND NEW.single_sex IS DISTINCT FROM OLD.single_sex)
    EXECUTE FUNCTION check_bed_occupant_sex();

-- Free beds by place, for intake and the district board.
CREATE INDEX beds_place_idx ON beds (site_id, place) WHERE place IS NOT NULL;
