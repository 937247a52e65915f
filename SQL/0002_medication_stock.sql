-- Medication stock: a catalogue, stock locations (the site pharmacy and zone cabinets), lots with
-- expiry, balances per lot and location that can never go negative, an append-only ledger of
-- every movement, and minimum and reorder levels per site.

CREATE TABLE medications (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code          text NOT NULL CONSTRAINT medications_code_key UNIQUE,
    generic_name  text NOT NULL,
    strength      text NOT NULL,
    form          text NOT NULL,
    unit_of_issue text NOT NULL,
    pack_size     integer NOT NULL CONSTRAINT medications_pack_size_check CHECK (pack_size > 0),
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE stock_locations (
    site_id    bigint NOT NULL REFERENCES sites (id),
    id         bigint GENERATED ALWAYS AS IDENTITY,
    code       text NOT NULL,
    name       text NOT NULL,
    kind       text NOT NULL CONSTRAINT stock_locations_kind_check CHECK (kind IN ('pharmacy', 'cabinet')),
    zone_id    bigint,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, id),
    CONSTRAINT stock_locations_code_key UNIQUE (site_id, code),
    CONSTRAINT stock_locations_zone_fkey FOREIGN KEY (site_id, zone_id) REFERENCES zones (site_id, id),
    CONSTRAINT stock_locations_cabinet_zone CHECK ((kind = 'cabinet') = (zone_id IS NOT NULL))
);

CREATE TABLE stock_lots (
    site_id       bigint NOT NULL REFERENCES sites (id),
    id            bigint GENERATED ALWAYS AS IDENTITY,
    medication_id bigint NOT NULL REFERENCES medications (id),
    lot_number    text NOT NULL,
    expires_on    date NOT NULL,
    PRIMARY KEY (site_id, id),
    CONSTRAINT stock_lots_number_key UNIQUE (site_id, medication_id, lot_number)
);

-- What is on each shelf now. The CHECK is the guarantee that stock is never negative, however
-- many clerks dispense at once; the ledger below explains every change.
CREATE TABLE stock_balances (
    site_id     bigint NOT NULL,
    location_id bigint NOT NULL,
    lot_id      bigint NOT NULL,
    quantity    integer NOT NULL CONSTRAINT stock_balances_never_negative CHECK (quantity >= 0),
    PRIMARY KEY (site_id, location_id, lot_id),
    CONSTRAINT stock_balances_location_fkey FOREIGN KEY (site_id, location_id) REFERENCES stock_locations (site_id, id),
    CONSTRAINT stock_balances_lot_fkey FOREIGN KEY (site_id, lot_id) REFERENCES stock_lots (site_id, id)
);

CREATE TABLE stock_ledger (
    site_id          bigint NOT NULL,
    id               bigint GENERATED ALWAYS AS IDENTITY,
    kind             text NOT NULL CONSTRAINT stock_ledger_kind_check CHECK (kind IN
                     ('receipt', 'dispense', 'transfer_out', 'transfer_in', 'count', 'write_off')),
    medication_id    bigint NOT NULL REFERENCES medications (id),
    lot_id           bigint NOT NULL,
    location_id      bigint NOT NULL,
    quantity_change  integer NOT NULL,
    balance_after    integer NOT NULL CONSTRAINT stock_ledger_balance_check CHECK (balance_after >= 0),
    counted_quantity integer,
    reason           text NOT NULL CONSTRAINT stock_ledger_reason_check CHECK (length(trim(reason)) > 0),
    document_number  text,
    patient_id       bigint,
    movement_id      uuid NOT NULL,
    actor_user_id    bigint,
    actor_name       text NOT NULL,
    occurred_at      timestamptz NOT NULL,
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, id),
    CONSTRAINT stock_ledger_lot_fkey FOREIGN KEY (site_id, lot_id) REFERENCES stock_lots (site_id, id),
    CONSTRAINT stock_ledger_location_fkey FOREIGN KEY (site_id, location_id) REFERENCES stock_locations (site_id, id),
    CONSTRAINT stock_ledger_patient_fkey FOREIGN KEY (site_id, patient_id) REFERENCES patients (site_id, id),
    CONSTRAINT stock_ledger_count_has_count CHECK ((kind = 'count') = (counted_quantity IS NOT NULL)),
    CONSTRAINT stock_ledger_sign_check CHECK (
        (kind IN ('receipt', 'transfer_in') AND quantity_change > 0)
        OR (kind IN ('dispense', 'transfer_out', 'write_off') AND quantity_change < 0)
        OR kind = 'count')
);
CREATE INDEX stock_ledger_medication_idx ON stock_ledger (site_id, medication_id, id);
CREATE INDEX stock_ledger_patient_idx ON stock_ledger (site_id, patient_id) WHERE patient_id IS NOT NULL;

-- The ledger is append-only, like the audit trail: a wrong entry is corrected by a new one.
CREATE FUNCTION refuse_change_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only; % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER stock_ledger_append_only BEFORE UPDATE OR DELETE ON stock_ledger
    FOR EACH ROW EXECUTE FUNCTION refuse_change_append_only();
CREATE TRIGGER stock_ledger_no_truncate BEFORE TRUNCATE ON stock_ledger
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_append_only();

CREATE TABLE stock_levels (
    site_id       bigint NOT NULL REFERENCES sites (id),
    medication_id bigint NOT NULL REFERENCES medications (id),
    minimum       integer NOT NULL CONSTRAINT stock_levels_minimum_check CHECK (minimum >= 0),
    reorder       integer NOT NULL,
    PRIMARY KEY (site_id, medication_id),
    CONSTRAINT stock_levels_reorder_check CHECK (reorder >= minimum)
);
