import Foundation

/// The JSON body a residential committee's endpoint receives when a bus home is planned: who
/// arrives on it, when, until when each is watched at home, and the link where the committee
/// says it will receive them. Written once with the notice, so every retry sends the same bytes.
public struct CommitteeArrivalsPayload: Sendable, Codable, Equatable {
    /// The event id, as in `Cordon-Event-Id`; a receiver that has seen it should ignore it.
    @LowercasedUUID public var id: UUID
    public var type: WebhookEventType
    public var occurredAt: Date
    public var notice: Notice

    /// One committee's share of one bus.
    public struct Notice: Sendable, Codable, Equatable {
        public var id: Int64
        public var siteId: Int64
        public var site: String
        public var committeeId: Int64
        public var committee: String
        public var busId: Int64
        public var destination: String
        public var departsAt: Date
        /// The public, signed page where the committee acknowledges; it expires.
        public var acknowledgementLink: String
        /// Unanswered by then, the notice is escalated to the site and the district.
        public var acknowledgeBy: Date
        public var arrivals: [Arrival]
    }

    /// A person coming home; no identity number, only what the committee needs to receive them.
    public struct Arrival: Sendable, Codable, Equatable {
        public var name: String
        public var household: String?
        /// Two when a carer sits beside them.
        public var seats: Int
        public var releasedAt: Date
        /// The last day of their seven days of health monitoring at home.
        public var monitoringEndsOn: CalendarDate
    }

    /// The payload for `notice`, whose acknowledgement page is at `link` and which is overdue
    /// after `ackHours`.
    public init(id: UUID = UUID(), notice: CommitteeNotice, link: String, ackHours: Int) {
        self.id = id
        type = .committeeArrivals
        occurredAt = notice.sentAt
        self.notice = Notice(
            id: notice.id.rawValue, siteId: notice.siteId.rawValue, site: notice.siteName,
            committeeId: notice.committeeId.rawValue, committee: notice.committee,
            busId: notice.busId.rawValue, destination: notice.destination, departsAt: notice.departsAt,
            acknowledgementLink: link, acknowledgeBy: notice.sentAt.addingTimeInterval(Double(ackHours) * 3600),
            arrivals: notice.arrivals.map {
                Arrival(
                    name: $0.name, household: $0.household, seats: $0.seats, releasedAt: $0.releasedAt,
                    monitoringEndsOn: $0.monitoringEndsOn)
            })
    }

    /// The bytes sent: sorted keys and ISO 8601 times, as the REST API writes them.
    public func encoded() throws -> String { try Self.webhookBody(self) }
}
