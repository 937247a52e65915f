-- A district groups sites, as the district's epidemic command does: its commander reads the board
-- of every site in it. A site names its district; the district is made when first named.

CREATE TABLE districts (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL CONSTRAINT districts_name_key UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO districts (name) SELECT DISTINCT district FROM sites ORDER BY district;

ALTER TABLE sites ADD COLUMN district_id bigint CONSTRAINT sites_district_fkey REFERENCES districts (id);
UPDATE sites s SET district_id = d.id FROM districts d WHERE d.name = s.district;
ALTER TABLE sites ALTER COLUMN district_id SET NOT NULL;
CREATE INDEX sites_district_idx ON sites (district_id);

-- Whatever path writes a site, its district follows its district's name.
CREATE FUNCTION set_site_district() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO districts (name) VALUES (NEW.district) ON CONFLICT (name) DO NOTHING;
    SELECT id INTO NEW.district_id FROM districts WHERE name = NEW.district;
    RETURN NEW;
END $$;
CREATE TRIGGER sites_district BEFORE INSERT OR UPDATE OF district ON sites
    FOR EACH ROW EXECUTE FUNCTION set_site_district();
-- A commander's token reaches a site that joins or leaves the district at once.
CREATE TRIGGER sites_district_notify AFTER INSERT OR UPDATE OF district ON sites
    FOR EACH STATEMENT EXECUTE FUNCTION notify_access_change();

-- The district commander's grant names a district, not a site; it reads, never writes.
ALTER TABLE grants ADD COLUMN district_id bigint CONSTRAINT grants_district_fkey REFERENCES districts (id);
ALTER TABLE grants DROP CONSTRAINT grants_role_check;
ALTER TABLE grants ADD CONSTRAINT grants_role_check CHECK (role IN
    ('admin', 'site_manager', 'clinician', 'pharmacist', 'branch_secretary', 'hospital_system', 'district_commander'));
ALTER TABLE grants DROP CONSTRAINT grants_site_scope;
ALTER TABLE grants ADD CONSTRAINT grants_site_scope CHECK (CASE role
    WHEN 'admin' THEN site_id IS NULL AND district_id IS NULL
    WHEN 'district_commander' THEN site_id IS NULL AND district_id IS NOT NULL
    ELSE site_id IS NOT NULL AND district_id IS NULL END);
CREATE UNIQUE INDEX grants_district_role_key ON grants (user_id, role, district_id) WHERE district_id IS NOT NULL;
-- Admin is the one grant held without a site or a district, once per user.
DROP INDEX grants_admin_key;
CREATE UNIQUE INDEX grants_admin_key ON grants (user_id) WHERE role = 'admin';

-- The grants a user holds once signed in: a commander's district grant stands for a grant at
-- each site of the district (one row without a site while the district has none).
CREATE VIEW signed_in_grants AS
SELECT g.user_id, g.role, coalesce(g.site_id, s.id) AS site_id, g.district_id
FROM grants g LEFT JOIN sites s ON g.role = 'district_commander' AND s.district_id = g.district_id;
