-- Telling the residential committees: when buses are planned, each committee with people on a
-- bus gets a notice (who arrives, on which bus, when, and the end of their home monitoring)
-- through a signed public link, where it acknowledges that it will receive them. A notice not
-- acknowledged within COMMITTEE_ACK_HOURS is overdue: the site's release page and board say so.

CREATE TABLE committee_notices (
    site_id         bigint NOT NULL,
    id              bigint GENERATED ALWAYS AS IDENTITY,
    bus_id          bigint NOT NULL,
    committee_id    bigint NOT NULL REFERENCES residential_committees (id),
    sent_at         timestamptz NOT NULL DEFAULT now(),
    acknowledged_at timestamptz,
    acknowledged_by text CONSTRAINT committee_notices_acknowledged_by_check CHECK (length(acknowledged_by) BETWEEN 1 AND 100),
    PRIMARY KEY (site_id, id),
    CONSTRAINT committee_notices_bus_fkey FOREIGN KEY (site_id, bus_id) REFERENCES release_buses (site_id, id),
    CONSTRAINT committee_notices_bus_committee_key UNIQUE (site_id, bus_id, committee_id),
    CONSTRAINT committee_notices_acknowledgement_complete CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL))
);
CREATE INDEX committee_notices_unanswered_idx ON committee_notices (site_id, sent_at) WHERE acknowledged_at IS NULL;
