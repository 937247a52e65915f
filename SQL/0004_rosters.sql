-- Staff rosters: teams (batches), staff, training records, shift templates, shifts and
-- assignments, with the per-site roster rules. The exclusion constraint on assignments is the
-- guarantee that nobody works two overlapping shifts, even when two managers assign at once.

CREATE TABLE teams (
    site_id              bigint NOT NULL REFERENCES sites (id),
    id                   bigint GENERATED ALWAYS AS IDENTITY,
    name                 text NOT NULL,
    dispatching_hospital text NOT NULL,
    arrives_on           date NOT NULL,
    departs_on           date,
    leader_staff_id      bigint,
    version              integer NOT NULL DEFAULT 1,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, id),
    CONSTRAINT teams_name_key UNIQUE (site_id, name),
    CONSTRAINT teams_departs_after_arrival CHECK (departs_on IS NULL OR departs_on >= arrives_on)
);

CREATE TABLE staff (
    site_id      bigint NOT NULL REFERENCES sites (id),
    id           bigint GENERATED ALWAYS AS IDENTITY,
    code         text NOT NULL,
    name         text NOT NULL,
    hospital     text NOT NULL,
    department   text NOT NULL DEFAULT '',
    profession   text NOT NULL CONSTRAINT staff_profession_check CHECK (profession IN
                 ('doctor', 'nurse', 'technician', 'pharmacist', 'logistics', 'police_liaison', 'volunteer', 'administrator')),
    title        text NOT NULL DEFAULT '',
    phone        text,
    party_member boolean NOT NULL DEFAULT false,
    team_id      bigint,
    status       text NOT NULL DEFAULT 'active' CONSTRAINT staff_status_check
                 CHECK (status IN ('active', 'off_duty', 'departed')),
    version      integer NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, id),
    CONSTRAINT staff_code_key UNIQUE (site_id, code),
    CONSTRAINT staff_team_fkey FOREIGN KEY (site_id, team_id) REFERENCES teams (site_id, id)
);

ALTER TABLE teams ADD CONSTRAINT teams_leader_fkey
    FOREIGN KEY (site_id, leader_staff_id) REFERENCES staff (site_id, id);

CREATE TABLE staff_trainings (
    site_id      bigint NOT NULL,
    id           bigint GENERATED ALWAYS AS IDENTITY,
    staff_id     bigint NOT NULL,
    kind         text NOT NULL CONSTRAINT staff_trainings_kind_check CHECK (kind IN
                 ('ppe_donning_doffing', 'infection_control', 'nucleic_acid_sampling', 'resuscitation', 'psychological_support')),
    gained_on    date NOT NULL,
    expires_on   date,
    certified_by text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, id),
    CONSTRAINT staff_trainings_staff_fkey FOREIGN KEY (site_id, staff_id) REFERENCES staff (site_id, id),
    CONSTRAINT staff_trainings_expiry_after_gain CHECK (expires_on IS NULL OR expires_on >= gained_on)
);
CREATE INDEX staff_trainings_staff_idx ON staff_trainings (site_id, staff_id, kind);

-- The site's roster rules; a site without a row uses the defaults below.
CREATE TABLE roster_rules (
    site_id                     bigint PRIMARY KEY REFERENCES sites (id),
    min_rest_minutes            integer NOT NULL DEFAULT 480
                                CONSTRAINT roster_rules_min_rest_check CHECK (min_rest_minutes BETWEEN 0 AND 2880),
    contaminated_cap_minutes    integer NOT NULL DEFAULT 360
                                CONSTRAINT roster_rules_contaminated_cap_check CHECK (contaminated_cap_minutes BETWEEN 30 AND 1440),
    max_consecutive_days        integer NOT NULL DEFAULT 6
                                CONSTRAINT roster_rules_consecutive_days_check CHECK (max_consecutive_days BETWEEN 1 AND 60),
    version                     integer NOT NULL DEFAULT 1,
    updated_at                  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE shift_templates (
    site_id    bigint NOT NULL,
    id         bigint GENERATED ALWAYS AS IDENTITY,
    name       text NOT NULL,
    zone_id    bigint NOT NULL,
    requires   text CONSTRAINT shift_templates_requires_check CHECK (requires IN
               ('doctor', 'nurse', 'technician', 'pharmacist', 'logistics', 'police_liaison', 'volunteer', 'administrator')),
    starts_at  time NOT NULL,
    minutes    integer NOT NULL CONSTRAINT shift_templates_minutes_check CHECK (minutes BETWEEN 15 AND 1440),
    min_staff  integer NOT NULL,
    max_staff  integer NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, id),
    CONSTRAINT shift_templates_name_key UNIQUE (site_id, name),
    CONSTRAINT shift_templates_zone_fkey FOREIGN KEY (site_id, zone_id) REFERENCES zones (site_id, id),
    CONSTRAINT shift_templates_staffing_check CHECK (min_staff >= 0 AND max_staff >= 1 AND min_staff <= max_staff)
);

CREATE TABLE shifts (
    site_id     bigint NOT NULL,
    id          bigint GENERATED ALWAYS AS IDENTITY,
    zone_id     bigint NOT NULL,
    requires    text CONSTRAINT shifts_requires_check CHECK (requires IN
                ('doctor', 'nurse', 'technician', 'pharmacist', 'logistics', 'police_liaison', 'volunteer', 'administrator')),
    label       text NOT NULL DEFAULT '',
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    min_staff   integer NOT NULL,
    max_staff   integer NOT NULL,
    template_id bigint,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, id),
    CONSTRAINT shifts_zone_fkey FOREIGN KEY (site_id, zone_id) REFERENCES zones (site_id, id),
    CONSTRAINT shifts_template_fkey FOREIGN KEY (site_id, template_id) REFERENCES shift_templates (site_id, id),
    CONSTRAINT shifts_ends_after_start CHECK (ends_at > starts_at AND ends_at <= starts_at + interval '24 hours'),
    CONSTRAINT shifts_staffing_check CHECK (min_staff >= 0 AND max_staff >= 1 AND min_staff <= max_staff),
    -- The same shift is never generated or imported twice.
    CONSTRAINT shifts_slot_key UNIQUE NULLS NOT DISTINCT (site_id, zone_id, requires, starts_at, ends_at)
);
CREATE INDEX shifts_site_start_idx ON shifts (site_id, starts_at);

CREATE TABLE shift_assignments (
    site_id    bigint NOT NULL,
    id         bigint GENERATED ALWAYS AS IDENTITY,
    shift_id   bigint NOT NULL,
    staff_id   bigint NOT NULL,
    -- A copy of the shift's times, so that the exclusion constraint can see them.
    during     tstzrange NOT NULL,
    state      text NOT NULL DEFAULT 'draft' CONSTRAINT shift_assignments_state_check
               CHECK (state IN ('draft', 'published', 'cancelled')),
    version    integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, id),
    CONSTRAINT shift_assignments_shift_fkey FOREIGN KEY (site_id, shift_id) REFERENCES shifts (site_id, id),
    CONSTRAINT shift_assignments_staff_fkey FOREIGN KEY (site_id, staff_id) REFERENCES staff (site_id, id),
    -- Deferrable so that a swap can exchange two people inside one transaction.
    CONSTRAINT shift_assignments_no_overlap EXCLUDE USING gist
        (site_id WITH =, staff_id WITH =, during WITH &&) WHERE (state <> 'cancelled')
        DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX shift_assignments_shift_idx ON shift_assignments (site_id, shift_id) WHERE state <> 'cancelled';
CREATE INDEX shift_assignments_during_idx ON shift_assignments USING gist (site_id, during) WHERE state <> 'cancelled';

-- Secret calendar addresses, so that staff can subscribe from a phone's calendar app, which
-- cannot send a bearer token. Only the secret's SHA-256 is kept; a feed can be revoked.
CREATE TABLE calendar_feeds (
    site_id    bigint NOT NULL REFERENCES sites (id),
    id         bigint GENERATED ALWAYS AS IDENTITY,
    staff_id   bigint,
    token_hash text NOT NULL CONSTRAINT calendar_feeds_token_hash_key UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz,
    PRIMARY KEY (site_id, id),
    CONSTRAINT calendar_feeds_staff_fkey FOREIGN KEY (site_id, staff_id) REFERENCES staff (site_id, id)
);
