-- The user account a member of staff signs in with, so the console can show a person their own
-- roster. One account per person per site: a second link at the same site is refused.
ALTER TABLE staff ADD COLUMN user_id bigint REFERENCES users (id);
CREATE UNIQUE INDEX staff_user_per_site ON staff (site_id, user_id) WHERE user_id IS NOT NULL;
