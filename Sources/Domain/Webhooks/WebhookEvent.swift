import Foundation

/// What happened, as a receiver's system is told of it: to a referral, for its hospital; or
/// the people coming home on a bus, for their residential committee.
public enum WebhookEventType: String, Sendable, Codable, CaseIterable {
    case referralCreated = "referral.created"
    case referralStatusChanged = "referral.status_changed"
    case referralNoteAdded = "referral.note_added"
    case committeeArrivals = "committee.arrivals"
}

/// Where an outbox event stands: waiting (or being tried), delivered, or given up on.
public enum WebhookDeliveryStatus: String, Sendable, Codable, CaseIterable {
    case pending, delivered, dead
}

/// The JSON body a hospital's endpoint receives. It is written once, with the change, so every
/// retry (and any duplicate after a restart) sends the same bytes and the same `id`.
public struct WebhookPayload: Sendable, Codable, Equatable {
    /// The event id; a receiver that has seen it already should ignore the delivery.
    @LowercasedUUID public var id: UUID
    public var type: WebhookEventType
    public var occurredAt: Date
    /// The referral as the hospital's REST view shows it after the change.
    public var referral: Referral

    public init(id: UUID = UUID(), type: WebhookEventType, occurredAt: Date, referral: Referral) {
        self.id = id
        self.type = type
        self.occurredAt = occurredAt
        self.referral = referral
    }

    /// The bytes sent: sorted keys and ISO 8601 times, as the REST API writes them.
    public func encoded() throws -> String { try Self.webhookBody(self) }
}

extension Encodable {
    /// A webhook body's bytes: sorted keys and ISO 8601 times, as the REST API writes them.
    static func webhookBody<Body: Encodable>(_ body: Body) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(body), as: UTF8.self)
    }
}

/// An outbox event as operators see it.
public struct WebhookEvent: Sendable, Codable, Equatable {
    @LowercasedUUID public var id: UUID
    /// The order events were written in; also the list's cursor.
    public var sequence: Int64
    /// The receiving hospital and the referral, for a referral's event.
    public var hospitalId: Hospital.ID?
    public var hospitalCode: String?
    public var siteId: Site.ID
    public var referralId: Referral.ID?
    /// The receiving committee and the notice, for a bus's arrivals.
    public var committeeId: ResidentialCommittee.ID?
    public var committeeName: String?
    public var committeeNoticeId: CommitteeNotice.ID?
    public var type: WebhookEventType
    public var status: WebhookDeliveryStatus
    /// Attempts made so far, over every retry round.
    public var attempts: Int
    /// When the next attempt is due; only while pending.
    public var nextAttemptAt: Date?
    public var lastStatusCode: Int?
    public var lastError: String?
    public var createdAt: Date
    public var deliveredAt: Date?

    public init(
        id: UUID, sequence: Int64, hospitalId: Hospital.ID?, hospitalCode: String?, siteId: Site.ID,
        referralId: Referral.ID?, committeeId: ResidentialCommittee.ID? = nil, committeeName: String? = nil,
        committeeNoticeId: CommitteeNotice.ID? = nil, type: WebhookEventType,
        status: WebhookDeliveryStatus, attempts: Int, nextAttemptAt: Date?, lastStatusCode: Int?, lastError: String?,
        createdAt: Date,
        deliveredAt: Date?
    ) {
        self.id = id
        self.sequence = sequence
        self.hospitalId = hospitalId
        self.hospitalCode = hospitalCode
        self.siteId = siteId
        self.referralId = referralId
        self.committeeId = committeeId
        self.committeeName = committeeName
        self.committeeNoticeId = committeeNoticeId
        self.type = type
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastStatusCode = lastStatusCode
        self.lastError = lastError
        self.createdAt = createdAt
        self.deliveredAt = deliveredAt
    }
}

/// An event claimed for delivery, with where to send it and the key to sign it with.
public struct WebhookDelivery: Sendable, Equatable {
    public var eventId: UUID
    public var siteId: Site.ID
    public var type: WebhookEventType
    public var body: String
    /// This attempt's number over every round; the claim counted it.
    public var attempt: Int
    /// This attempt's number within the current round (1 after an operator's retry).
    public var attemptInRound: Int
    public var url: String?
    public var secret: String?
    /// The receiving hospital's code, or `committee` for any residential committee: the
    /// delivery metrics' label, bounded however many committees a district has.
    public var receiver: String
    /// The W3C `traceparent` of the change that wrote the event, when it was traced.
    public var traceContext: String?

    public init(
        eventId: UUID, siteId: Site.ID, type: WebhookEventType, body: String, attempt: Int, attemptInRound: Int,
        url: String?, secret: String?, receiver: String = "", traceContext: String? = nil
    ) {
        self.eventId = eventId
        self.siteId = siteId
        self.type = type
        self.body = body
        self.attempt = attempt
        self.attemptInRound = attemptInRound
        self.url = url
        self.secret = secret
        self.receiver = receiver
        self.traceContext = traceContext
    }
}

/// How one attempt went.
public struct WebhookAttemptResult: Sendable, Equatable {
    public var statusCode: Int?
    public var error: String?
    public var startedAt: Date

    public init(statusCode: Int?, error: String?, startedAt: Date) {
        self.statusCode = statusCode
        self.error = error
        self.startedAt = startedAt
    }

    /// A 2xx answer; anything else (another status, a refused connection, a timeout) is retried.
    public var succeeded: Bool { statusCode.map { (200..<300).contains($0) } ?? false }
}

/// One finished attempt to record: what went out, what came back, and when to try again.
public struct WebhookAttemptRecord: Sendable, Equatable {
    public var delivery: WebhookDelivery
    public var result: WebhookAttemptResult
    /// Seconds until the next attempt after a failure; nil when the event goes to the dead letter.
    public var retryAfter: TimeInterval?

    public init(delivery: WebhookDelivery, result: WebhookAttemptResult, retryAfter: TimeInterval?) {
        self.delivery = delivery
        self.result = result
        self.retryAfter = retryAfter
    }

    /// The event's state after this attempt.
    public var status: WebhookDeliveryStatus { result.succeeded ? .delivered : (retryAfter == nil ? .dead : .pending) }
}
