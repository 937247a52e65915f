import Domain
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Storage

/// Metrics of the work Cordon does in the background: webhook deliveries as they happen.
public enum OperationalMetrics {
    /// One delivery attempt to a hospital: delivered, retry or dead, and how long it took.
    static func webhookAttempt(receiver: String, result: String, seconds: Double) {
        Counter(label: "cordon_webhook_deliveries_total", dimensions: [("receiver", receiver), ("result", result)])
            .increment()
        Timer(label: "cordon_webhook_attempt_duration_seconds", dimensions: [("receiver", receiver)])
            .recordSeconds(seconds)
    }
}

/// The site's figures as gauges, computed every `interval` (never per scrape, so a scrape costs
/// the database nothing): beds by state, patients admitted, referrals past their time target,
/// stock alerts and days of cover, roster gaps of the next 24 hours, residential committees
/// that have not acknowledged a bus home in time, open deterioration alerts, the webhook outbox, the
/// database's view of its connections, and readiness.
public struct SiteGauges: Service {
    let services: CordonServices
    let interval: TimeInterval
    /// Reads every site, as the figures are about all of them; reads are not audited.
    static let reader = Actor(
        userId: nil, username: "metrics", grants: [Grant(role: .admin, siteId: nil)], origin: .system)

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await refresh()
            } catch {
                if Task.isCancelled { return }
                services.database.logger.debug(
                    "site gauges not refreshed; trying again later", metadata: ["error_type": "\(type(of: error))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(interval)) }
        }
    }

    /// Reads the figures once and records them.
    public func refresh(now: Date = Date()) async throws {
        let ready = await services.health.readinessProblems().isEmpty
        Gauge(label: "cordon_ready").record(ready ? 1 : 0)
        guard ready else { return }
        let actor = Self.reader
        let (beds, admitted, outbox, connections) = try await services.database.read(actor) { tx in
            let metrics = tx.metrics
            return (
                try await metrics.beds(), try await metrics.admitted(), try await metrics.outbox(),
                try await metrics.connections()
            )
        }
        for (status, count) in outbox.byStatus {
            Gauge(label: "cordon_webhook_events", dimensions: [("status", status)]).record(count)
        }
        Gauge(label: "cordon_webhook_oldest_pending_seconds").record(outbox.oldestPendingSeconds)
        for (state, count) in connections {
            Gauge(label: "cordon_db_connections", dimensions: [("state", state)]).record(count)
        }
        let sites = try await services.sites.list(actor: actor, page: PageRequest(limit: 500)).items
        let overdue = Dictionary(grouping: try await services.referrals.overdue(at: now, actor: actor), by: \.siteId)
        for site in sites {
            let code = site.code
            for status in BedStatus.allCases {
                let count = beds.first { $0.site == code && $0.status == status.rawValue }?.count ?? 0
                Gauge(label: "cordon_beds", dimensions: [("site", code), ("state", status.rawValue)]).record(count)
            }
            Gauge(label: "cordon_patients_admitted", dimensions: [("site", code)]).record(admitted[code] ?? 0)
            Gauge(label: "cordon_referrals_past_target", dimensions: [("site", code)])
                .record(overdue[site.id]?.count ?? 0)
            try await recordStock(site, actor)
            let gaps = try await services.roster.coverage(siteId: site.id, days: 2, actor: actor)
                .filter { $0.startsAt < now.addingTimeInterval(86_400) && $0.endsAt > now }
                .reduce(0) { $0 + $1.gap }
            Gauge(label: "cordon_roster_gaps_next_24h", dimensions: [("site", code)]).record(gaps)
            Gauge(label: "cordon_committee_notices_overdue", dimensions: [("site", code)])
                .record(try await services.committeeNotices.overdueCount(siteId: site.id, actor: actor))
            let alerts = try await services.alerts.openCounts(siteId: site.id, actor: actor)
            for level in AlertLevel.allCases {
                Gauge(
                    label: "cordon_deterioration_alerts_open", dimensions: [("site", code), ("level", level.rawValue)]
                )
                .record(alerts.byLevel[level] ?? 0)
            }
            Gauge(label: "cordon_deterioration_alerts_escalated", dimensions: [("site", code)]).record(alerts.escalated)
        }
    }

    func recordStock(_ site: Site, _ actor: Actor) async throws {
        let (cover, alerts) = try await services.stockCover.coverAndAlerts(siteId: site.id, actor: actor)
        for (kind, count) in Dictionary(grouping: alerts, by: \.kind.rawValue).mapValues(\.count) {
            Gauge(label: "cordon_stock_alerts", dimensions: [("site", site.code), ("kind", kind)]).record(count)
        }
        for line in cover {
            guard let days = line.daysOfCover else { continue }
            Gauge(
                label: "cordon_stock_cover_days",
                dimensions: [("site", site.code), ("medication", line.medicationCode)]
            )
            .record(days)
        }
    }
}
