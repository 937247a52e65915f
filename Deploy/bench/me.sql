-- The statement behind GET /me (the bearer token's user and grants), for pgbench.
SELECT u.id, u.username, u.display_name, g.role, g.site_id, h.hospital_id
FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN grants g ON g.user_id = u.id
LEFT JOIN hospital_users h ON h.user_id = u.id
WHERE t.token_hash = :token_hash AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now());
