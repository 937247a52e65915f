import Foundation

/// What a residential committee is told of one bus: who arrives, when, and until when each is
/// watched at home; and whether it has said it will receive them.
public struct CommitteeNotice: Sendable, Equatable {
    public typealias ID = Tagged<CommitteeNotice, Int64>
    public var id: ID
    public var siteId: Site.ID
    public var siteName: String
    public var committeeId: ResidentialCommittee.ID
    public var committee: String
    public var busId: ReleaseBus.ID
    public var destination: String
    public var departsAt: Date
    public var departedAt: Date?
    public var sentAt: Date
    public var acknowledgedAt: Date?
    public var acknowledgedBy: String?
    /// Those of the bus who go to this committee.
    public var arrivals: [ReleaseBus.Passenger]
    /// Where the site is, for the times shown.
    public var timeZone: TimeZone

    public init(
        id: ID, siteId: Site.ID, siteName: String, committeeId: ResidentialCommittee.ID, committee: String,
        busId: ReleaseBus.ID, destination: String,
        departsAt: Date, departedAt: Date?, sentAt: Date, acknowledgedAt: Date?, acknowledgedBy: String?,
        arrivals: [ReleaseBus.Passenger], timeZone: TimeZone
    ) {
        self.id = id
        self.siteId = siteId
        self.siteName = siteName
        self.committeeId = committeeId
        self.committee = committee
        self.busId = busId
        self.destination = destination
        self.departsAt = departsAt
        self.departedAt = departedAt
        self.sentAt = sentAt
        self.acknowledgedAt = acknowledgedAt
        self.acknowledgedBy = acknowledgedBy
        self.arrivals = arrivals
        self.timeZone = timeZone
    }

    /// Not acknowledged within `hours` of being sent: escalated.
    public func isOverdue(after hours: Int, now: Date = Date()) -> Bool {
        acknowledgedAt == nil && now.timeIntervalSince(sentAt) > Double(hours) * 3600
    }

    /// How long the acknowledgement link stays open after the notice is sent.
    public static let linkLifetime: TimeInterval = 72 * 3600
}
