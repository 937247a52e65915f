-- Laboratories, and the boxes collected tubes travel to them in. A box's manifest is read from
-- the tubes that name it, so the count on the manifest is the count in the box.

CREATE TABLE laboratories (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code       text NOT NULL CONSTRAINT laboratories_code_format CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9-]{1,31}$'),
    name       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
-- Codes are one whatever their case, as hospitals' are.
CREATE UNIQUE INDEX laboratories_code_key ON laboratories (lower(code));

CREATE TABLE specimen_boxes (
    site_id       bigint NOT NULL REFERENCES sites (id),
    id            bigint GENERATED ALWAYS AS IDENTITY,
    laboratory_id bigint NOT NULL REFERENCES laboratories (id),
    sent_at       timestamptz NOT NULL DEFAULT now(),
    sent_by       bigint REFERENCES users (id),
    PRIMARY KEY (site_id, id)
);
CREATE INDEX specimen_boxes_laboratory_idx ON specimen_boxes (laboratory_id, sent_at);

ALTER TABLE specimens ADD COLUMN box_id bigint,
    ADD CONSTRAINT specimens_box_fkey FOREIGN KEY (site_id, box_id) REFERENCES specimen_boxes (site_id, id),
    -- A tube on its way is in a box.
    ADD CONSTRAINT specimens_sent_in_box CHECK (status <> 'sent' OR box_id IS NOT NULL);
CREATE INDEX specimens_box_idx ON specimens (site_id, box_id) WHERE box_id IS NOT NULL;
