-- Operators name an outbox event by its id alone (`cordon webhook retry ID`,
-- `GET /webhook-events/{id}`); the primary key leads with site_id, so that lookup needs its own index.
CREATE INDEX webhook_events_id_idx ON webhook_events (id);
