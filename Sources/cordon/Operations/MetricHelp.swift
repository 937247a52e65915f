import CoreMetrics
import Prometheus

/// What each of Cordon's metric families counts, for the `# HELP` line Prometheus shows beside
/// it. swift-metrics carries no help text, so the factory looks each family up here.
enum MetricHelp {
    static let texts: [String: String] = [
        "cordon_http_requests_total": "HTTP requests answered, by API operation, method and status",
        "cordon_http_request_duration_seconds": "Time to answer an HTTP request, by API operation",
        "cordon_http_requests_in_flight": "HTTP requests being answered now",
        "cordon_http_bodies_refused_total": "Request bodies refused for passing their size limit",
        "cordon_db_connections_in_use": "Pooled database connections in use now",
        "cordon_db_callers_waiting": "Callers waiting for a pooled database connection now",
        "cordon_db_acquire_seconds": "Time to get a pooled database connection",
        "cordon_db_use_seconds": "Time one use of the database took (read, transaction, bulk), connection included",
        "cordon_db_statement_seconds": "Time one SQL statement took, by the repository method that sent it",
        "cordon_db_conflicts_total": "Deadlocks and serialization failures PostgreSQL resolved by aborting one side",
        "cordon_db_connections": "Connections PostgreSQL lists for Cordon's database, by state",
        "cordon_housekeeping_removed_total": "Rows housekeeping removed, by kind",
        "cordon_webhook_deliveries_total":
            "Webhook delivery attempts, by receiver (a hospital's code, or committee) and result",
        "cordon_webhook_attempt_duration_seconds": "Time one webhook delivery attempt took, by receiver",
        "cordon_webhook_events": "Webhook events in the outbox, by status",
        "cordon_webhook_oldest_pending_seconds": "Age of the oldest webhook event still waiting to be delivered",
        "cordon_ready": "1 while the database answers and no migration is pending, else 0",
        "cordon_beds": "Beds of each site, by state",
        "cordon_patients_admitted": "Patients admitted at each site now",
        "cordon_referrals_past_target": "Open referrals of each site past a time target",
        "cordon_roster_gaps_next_24h":
            "Shifts of each site under way or starting within 24 h below their minimum staffing",
        "cordon_committee_notices_overdue":
            "Residential committees of each site that have not acknowledged a bus home within COMMITTEE_ACK_HOURS",
        "cordon_deterioration_alerts_open": "Deterioration alerts of each site not yet acknowledged, by level",
        "cordon_deterioration_alerts_escalated":
            "Deterioration alerts of each site unacknowledged past ALERT_ESCALATE_MINUTES, gone to its managers",
        "cordon_deterioration_alert_ack_seconds": "Time from a deterioration alert to a clinician's acknowledgement",
        "cordon_stock_alerts": "Stock alerts of each site, by kind",
        "cordon_stock_cover_days": "Days of current orders that a site's stock of a medication covers",
        "cordon_lab_results_total":
            "Laboratory results received, by form (csv, hl7v2, fhir) and outcome (recorded, unchanged, held)",
        "cordon_lab_results_unmatched_total": "Laboratory results whose accession matched no tube, by form",
        "cordon_lab_collection_to_result_seconds":
            "Time from a tube's collection at the bedside to its result being recorded",
    ]
}

/// swift-metrics' factory for Prometheus, with each family's help text from `MetricHelp`.
struct DescribedMetricsFactory: MetricsFactory {
    let base: PrometheusMetricsFactory
    var registry: PrometheusCollectorRegistry { base.registry }

    private func help(_ label: String) -> String { MetricHelp.texts[label] ?? "" }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        registry.makeCounter(name: label, labels: dimensions, help: help(label))
    }

    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        registry.makeCounter(name: label, labels: dimensions, help: help(label))
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        guard aggregate else { return registry.makeGauge(name: label, labels: dimensions, help: help(label)) }
        return registry.makeValueHistogram(
            name: label, labels: dimensions,
            buckets: base.valueHistogramBuckets[label] ?? base.defaultValueHistogramBuckets, help: help(label))
    }

    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        registry.makeGauge(name: label, labels: dimensions, help: help(label))
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        registry.makeDurationHistogram(
            name: label, labels: dimensions,
            buckets: base.durationHistogramBuckets[label] ?? base.defaultDurationHistogramBuckets, help: help(label))
    }

    func destroyCounter(_ handler: any CounterHandler) { base.destroyCounter(handler) }
    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {
        base.destroyFloatingPointCounter(handler)
    }
    func destroyRecorder(_ handler: any RecorderHandler) { base.destroyRecorder(handler) }
    func destroyMeter(_ handler: any MeterHandler) { base.destroyMeter(handler) }
    func destroyTimer(_ handler: any TimerHandler) { base.destroyTimer(handler) }
}
