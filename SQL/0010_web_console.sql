-- The web console: passwords, browser sessions shared by every replica, one-time reset links.

-- A bcrypt hash; NULL until the user is given a password (API-only users never are).
ALTER TABLE users ADD COLUMN password_hash text
    CONSTRAINT users_password_hash_format CHECK (password_hash ~ '^\$2[aby]\$[0-9]{2}\$[./A-Za-z0-9]{53}$');

-- A signed-in browser. Only the SHA-256 of the cookie's secret is kept, so a copy of this table
-- signs nobody in. A session ends when idle too long, at its absolute end, at sign-out, or when
-- the user's grants change.
CREATE TABLE console_sessions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    secret_hash  text NOT NULL CONSTRAINT console_sessions_secret_hash_key UNIQUE,
    user_id      bigint NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    ends_at      timestamptz NOT NULL,
    CONSTRAINT console_sessions_ends_after_start CHECK (ends_at > created_at)
);
CREATE INDEX console_sessions_user_idx ON console_sessions (user_id);
CREATE INDEX console_sessions_ends_idx ON console_sessions (ends_at);

-- A link an admin issues so that a person sets their own password; usable once, for a while.
CREATE TABLE password_resets (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash text NOT NULL CONSTRAINT password_resets_token_hash_key UNIQUE,
    user_id    bigint NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX password_resets_user_idx ON password_resets (user_id);
