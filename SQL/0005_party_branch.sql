-- The site's temporary Party branch: officers and members drawn from the staff, check-in
-- codes, the infected patients who are members and check in by code, and the branch's tasks.

CREATE TABLE party_branches (
    site_id             bigint NOT NULL REFERENCES sites (id),
    id                  bigint GENERATED ALWAYS AS IDENTITY,
    name                text NOT NULL,
    parent_organisation text NOT NULL,
    established_on      date NOT NULL,
    dissolved_on        date,
    status              text NOT NULL DEFAULT 'active' CONSTRAINT party_branches_status_check
                        CHECK (status IN ('active', 'dissolved')),
    -- The HMAC key (hex) that signs the branch's check-in codes; it never leaves the services.
    signing_key         text NOT NULL,
    version             integer NOT NULL DEFAULT 1,
    created_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, id),
    CONSTRAINT party_branches_dissolved_consistent CHECK (
        (status = 'active' AND dissolved_on IS NULL)
        OR (status = 'dissolved' AND dissolved_on IS NOT NULL AND dissolved_on >= established_on))
);
-- At most one active temporary branch per site, whoever races to form one.
CREATE UNIQUE INDEX party_branches_one_active ON party_branches (site_id) WHERE status = 'active';

CREATE TABLE branch_officers (
    site_id    bigint NOT NULL,
    id         bigint GENERATED ALWAYS AS IDENTITY,
    branch_id  bigint NOT NULL,
    staff_id   bigint NOT NULL,
    office     text NOT NULL CONSTRAINT branch_officers_office_check
               CHECK (office IN ('secretary', 'deputy_secretary', 'committee_member')),
    from_on    date NOT NULL,
    until_on   date,
    PRIMARY KEY (site_id, id),
    CONSTRAINT branch_officers_branch_fkey FOREIGN KEY (site_id, branch_id) REFERENCES party_branches (site_id, id),
    CONSTRAINT branch_officers_staff_fkey FOREIGN KEY (site_id, staff_id) REFERENCES staff (site_id, id),
    CONSTRAINT branch_officers_dates CHECK (until_on IS NULL OR until_on >= from_on)
);
-- One secretary at a time.
CREATE UNIQUE INDEX branch_officers_one_secretary ON branch_officers (site_id, branch_id)
    WHERE office = 'secretary' AND until_on IS NULL;

CREATE TABLE branch_members (
    site_id           bigint NOT NULL,
    id                bigint GENERATED ALWAYS AS IDENTITY,
    branch_id         bigint NOT NULL,
    staff_id          bigint NOT NULL,
    joined_on         date NOT NULL,
    role              text NOT NULL DEFAULT 'member',
    joined_front_line boolean NOT NULL DEFAULT false,
    PRIMARY KEY (site_id, id),
    CONSTRAINT branch_members_branch_fkey FOREIGN KEY (site_id, branch_id) REFERENCES party_branches (site_id, id),
    CONSTRAINT branch_members_staff_fkey FOREIGN KEY (site_id, staff_id) REFERENCES staff (site_id, id),
    CONSTRAINT branch_members_staff_key UNIQUE (site_id, branch_id, staff_id)
);

CREATE TABLE branch_checkin_codes (
    site_id    bigint NOT NULL,
    id         bigint GENERATED ALWAYS AS IDENTITY,
    branch_id  bigint NOT NULL,
    expires_at timestamptz NOT NULL,
    issued_by  text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, id),
    CONSTRAINT branch_checkin_codes_branch_fkey FOREIGN KEY (site_id, branch_id) REFERENCES party_branches (site_id, id)
);

CREATE TABLE branch_checkins (
    site_id           bigint NOT NULL,
    id                bigint GENERATED ALWAYS AS IDENTITY,
    branch_id         bigint NOT NULL,
    patient_id        bigint NOT NULL,
    code_id           bigint NOT NULL,
    home_organisation text NOT NULL,
    phone             text NOT NULL,
    checked_in_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, id),
    CONSTRAINT branch_checkins_branch_fkey FOREIGN KEY (site_id, branch_id) REFERENCES party_branches (site_id, id),
    CONSTRAINT branch_checkins_patient_fkey FOREIGN KEY (site_id, patient_id) REFERENCES patients (site_id, id),
    CONSTRAINT branch_checkins_code_fkey FOREIGN KEY (site_id, code_id) REFERENCES branch_checkin_codes (site_id, id),
    -- A patient checks in once per branch, however often the code is scanned.
    CONSTRAINT branch_checkins_patient_key UNIQUE (site_id, branch_id, patient_id)
);

CREATE TABLE branch_tasks (
    site_id              bigint NOT NULL,
    id                   bigint GENERATED ALWAYS AS IDENTITY,
    branch_id            bigint NOT NULL,
    title                text NOT NULL,
    description          text NOT NULL DEFAULT '',
    zone_id              bigint,
    place                text NOT NULL DEFAULT '',
    starts_at            timestamptz NOT NULL,
    ends_at              timestamptz NOT NULL,
    assignee_staff_id    bigint,
    assignee_checkin_id  bigint,
    status               text NOT NULL DEFAULT 'open' CONSTRAINT branch_tasks_status_check
                         CHECK (status IN ('open', 'in_progress', 'done', 'cancelled')),
    version              integer NOT NULL DEFAULT 1,
    created_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, id),
    CONSTRAINT branch_tasks_branch_fkey FOREIGN KEY (site_id, branch_id) REFERENCES party_branches (site_id, id),
    CONSTRAINT branch_tasks_zone_fkey FOREIGN KEY (site_id, zone_id) REFERENCES zones (site_id, id),
    CONSTRAINT branch_tasks_staff_fkey FOREIGN KEY (site_id, assignee_staff_id) REFERENCES staff (site_id, id),
    CONSTRAINT branch_tasks_checkin_fkey FOREIGN KEY (site_id, assignee_checkin_id) REFERENCES branch_checkins (site_id, id),
    CONSTRAINT branch_tasks_one_assignee CHECK (assignee_staff_id IS NULL OR assignee_checkin_id IS NULL),
    CONSTRAINT branch_tasks_window CHECK (ends_at > starts_at)
);
