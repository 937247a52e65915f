-- Going home: residential committees (居委会) as records, where each patient lives and which
-- committee takes them back (kept from admission or the transfer list), and the buses that
-- take the released home, each person on exactly one bus.

CREATE TABLE residential_committees (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    district_id   bigint NOT NULL REFERENCES districts (id),
    name          text NOT NULL CONSTRAINT residential_committees_name_check CHECK (length(name) BETWEEN 1 AND 100),
    -- The street (街道) the committee belongs to; buses are grouped by it.
    street        text NOT NULL CONSTRAINT residential_committees_street_check CHECK (length(street) BETWEEN 1 AND 100),
    contact_name  text CONSTRAINT residential_committees_contact_name_check CHECK (length(contact_name) BETWEEN 1 AND 100),
    contact_phone text CONSTRAINT residential_committees_contact_phone_check CHECK (length(contact_phone) BETWEEN 5 AND 30),
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT residential_committees_name_key UNIQUE (district_id, name)
);

ALTER TABLE patients
    ADD COLUMN home_address text CONSTRAINT patients_home_address_check CHECK (length(home_address) BETWEEN 1 AND 200),
    -- The committee as the transfer list or the admitting clerk named it, and the record it matched.
    ADD COLUMN committee text CONSTRAINT patients_committee_check CHECK (length(committee) BETWEEN 1 AND 100),
    ADD COLUMN committee_id bigint CONSTRAINT patients_committee_fkey REFERENCES residential_committees (id),
    -- People sharing a household travel together.
    ADD COLUMN household text CONSTRAINT patients_household_check CHECK (length(household) BETWEEN 1 AND 32),
    -- A person who needs a carer takes two seats on a bus.
    ADD COLUMN needs_carer boolean NOT NULL DEFAULT false;

CREATE TABLE release_buses (
    site_id       bigint NOT NULL REFERENCES sites (id),
    id            bigint GENERATED ALWAYS AS IDENTITY,
    -- The street its passengers' committees belong to (a bus serves one street), or the
    -- committee as given when no record of it matched.
    destination   text NOT NULL CONSTRAINT release_buses_destination_check CHECK (length(destination) BETWEEN 1 AND 100),
    seats         smallint NOT NULL CONSTRAINT release_buses_seats_check CHECK (seats BETWEEN 4 AND 80),
    seats_taken   smallint NOT NULL,
    departs_at    timestamptz NOT NULL,
    departed_at   timestamptz,
    planned_by    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, id),
    CONSTRAINT release_buses_seats_taken_check CHECK (seats_taken BETWEEN 1 AND seats)
);

CREATE TABLE release_bus_passengers (
    site_id    bigint NOT NULL,
    bus_id     bigint NOT NULL,
    patient_id bigint NOT NULL,
    seat_count smallint NOT NULL CONSTRAINT release_bus_passengers_seat_count_check CHECK (seat_count IN (1, 2)),
    -- Where they get off: their committee, as matched or as given.
    committee_id bigint REFERENCES residential_committees (id),
    committee  text,
    PRIMARY KEY (site_id, bus_id, patient_id),
    CONSTRAINT release_bus_passengers_bus_fkey FOREIGN KEY (site_id, bus_id) REFERENCES release_buses (site_id, id),
    CONSTRAINT release_bus_passengers_patient_fkey FOREIGN KEY (site_id, patient_id) REFERENCES patients (site_id, id),
    -- Each person is on exactly one manifest.
    CONSTRAINT release_bus_passengers_patient_key UNIQUE (site_id, patient_id)
);
