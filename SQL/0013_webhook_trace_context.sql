-- The W3C `traceparent` of the change that wrote an event, when it was traced: its deliveries
-- continue that trace, and the hospital receives it in the `traceparent` header.
ALTER TABLE webhook_events ADD COLUMN trace_context text
    CONSTRAINT webhook_events_trace_context_length CHECK (char_length(trace_context) <= 512);
