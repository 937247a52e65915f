import Domain
import Foundation
import Metrics
import Storage

/// An alert with whether it has gone to the site's managers.
public struct AlertView: Sendable, Equatable {
    public var alert: DeteriorationAlert
    /// Open past `ALERT_ESCALATE_MINUTES`: the site's managers and its board are told.
    public var escalated: Bool
}

/// Deterioration alerts: the site's list, a clinician's acknowledgement, and escalation to
/// the managers of one left unacknowledged for `escalateMinutes`. Alerts are raised where
/// readings are kept (`VitalSignsService.record`).
public struct AlertService: Sendable {
    let database: Database
    /// `ALERT_ESCALATE_MINUTES`.
    let escalateMinutes: Int

    /// The site's alerts, open first, emergencies first among them; the open ones alone with
    /// `openOnly`.
    public func alerts(siteId: Site.ID, openOnly: Bool = true, actor: Actor) async throws -> [AlertView] {
        try actor.require(VitalSignsService.carers, at: siteId)
        return try await database.read(actor) { tx in
            try await tx.alerts.alerts(siteId: siteId, openOnly: openOnly).map(view)
        }
    }

    /// A clinician says they have seen to it, and what was done; the first acknowledgement
    /// stands, a second is refused. Audited, and timed for `cordon_deterioration_alert_ack_seconds`.
    public func acknowledge(siteId: Site.ID, alertId: DeteriorationAlert.ID, action: String, actor: Actor)
        async throws -> AlertView
    {
        try actor.require([.clinician], at: siteId)
        let action = action.trimmedOfWhitespace
        var v = Validator()
        v.check((1...500).contains(action.count), "action", "say what was done, in 1 to 500 characters")
        try v.finish()
        let acknowledged = try await database.transaction(actor) { tx in
            guard try await tx.alerts.acknowledge(siteId: siteId, id: alertId, by: actor.username, action: action)
            else {
                // Not open: not there at all, or answered already by someone.
                let standing = try await tx.alerts.alerts(siteId: siteId, openOnly: false, id: alertId).first
                    .orNotFound("alert")
                throw DomainError.conflict(
                    "acknowledged already by \(standing.acknowledgedBy ?? "someone")", field: "alertId")
            }
            let after = try await tx.alerts.alerts(siteId: siteId, openOnly: false, id: alertId)[0]
            try await tx.audit.record(
                "acknowledge", entity: "deterioration_alert", id: alertId.rawValue, siteId: siteId,
                before: String?.none, after: ["action": action, "level": after.level.rawValue])
            return after
        }
        if let at = acknowledged.acknowledgedAt {
            Timer(label: "cordon_deterioration_alert_ack_seconds", dimensions: [("level", acknowledged.level.rawValue)])
                .recordSeconds(at.timeIntervalSince(acknowledged.raisedAt))
        }
        return view(acknowledged)
    }

    /// Open alerts by level, and how many have been escalated, for the site's gauges.
    public func openCounts(siteId: Site.ID, actor: Actor) async throws -> (byLevel: [AlertLevel: Int], escalated: Int) {
        try actor.require(VitalSignsService.carers, at: siteId)
        return try await database.read(actor) { tx in
            try await tx.alerts.openCounts(siteId: siteId, escalateMinutes: escalateMinutes)
        }
    }

    private func view(_ alert: DeteriorationAlert) -> AlertView {
        AlertView(alert: alert, escalated: alert.isEscalated(after: escalateMinutes))
    }
}
