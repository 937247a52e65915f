import Domain
import Foundation
import Storage

/// The webhook outbox as operators see it: what waits, what went out, what was given up on, and
/// a new round of attempts for an event. Admin only: events span every site and hospital.
public struct WebhookService: Sendable {
    let database: Database

    /// Events in the order they were written, optionally of one status and one hospital.
    public func events(
        status: WebhookDeliveryStatus? = nil, hospitalId: Hospital.ID? = nil, page: PageRequest, actor: Actor
    ) async throws -> Page<WebhookEvent> {
        try actor.requireAdmin()
        let rows = try await database.read(actor) { tx in
            try await tx.webhooks.events(status: status, hospitalId: hospitalId, page: page)
        }
        return Page(fetched: rows, limit: page.limit, id: \.sequence)
    }

    /// One event.
    public func event(id: UUID, actor: Actor) async throws -> WebhookEvent {
        try actor.requireAdmin()
        let event = try await database.read(actor, { tx in try await tx.webhooks.event(id: id) }).orThrow(
            DomainError.notFound("no webhook event \(id.uuidString.lowercased())"))
        return event
    }

    /// Sends a dead (or already delivered) event again, with a fresh round of attempts due now
    /// and the same event id. A pending event is already on its way: 409.
    public func retry(id: UUID, actor: Actor) async throws -> WebhookEvent {
        try actor.requireAdmin()
        return try await database.transaction(actor) { tx in
            let repository = tx.webhooks
            let before = try await repository.event(id: id, lock: true).orThrow(
                DomainError.notFound("no webhook event \(id.uuidString.lowercased())"))
            guard before.status != .pending else {
                throw DomainError.conflict(
                    "the event is pending already; its next attempt is due \(before.nextAttemptAt.map { "\($0)" } ?? "now")"
                )
            }
            try await repository.restart(siteId: before.siteId, id: id)
            let after = try await repository.event(id: id)!
            try await tx.audit.record(
                "retry", entity: "webhook_event", id: id.uuidString.lowercased(), siteId: before.siteId, before: before,
                after: after)
            return after
        }
    }
}
