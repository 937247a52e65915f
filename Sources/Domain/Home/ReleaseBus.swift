import Foundation

/// A bus taking released people home to one street, with its manifest.
public struct ReleaseBus: Sendable, Equatable {
    public typealias ID = Tagged<ReleaseBus, Int64>
    public var id: ID
    public var siteId: Site.ID
    public var destination: String
    public var seats: Int
    public var seatsTaken: Int
    public var departsAt: Date
    public var departedAt: Date?
    public var plannedBy: String
    public var passengers: [Passenger]

    public init(
        id: ID, siteId: Site.ID, destination: String, seats: Int, seatsTaken: Int, departsAt: Date, departedAt: Date?,
        plannedBy: String, passengers: [Passenger]
    ) {
        self.id = id
        self.siteId = siteId
        self.destination = destination
        self.seats = seats
        self.seatsTaken = seatsTaken
        self.departsAt = departsAt
        self.departedAt = departedAt
        self.plannedBy = plannedBy
        self.passengers = passengers
    }

    /// One person on the manifest.
    public struct Passenger: Sendable, Equatable {
        public var patientId: Patient.ID
        public var name: String
        public var committee: String?
        public var household: String?
        /// Two when a carer sits beside them.
        public var seats: Int
        public var releasedAt: Date
        /// The last day of their seven days of health monitoring at home.
        public var monitoringEndsOn: CalendarDate

        public init(
            patientId: Patient.ID, name: String, committee: String?, household: String?, seats: Int, releasedAt: Date,
            monitoringEndsOn: CalendarDate
        ) {
            self.patientId = patientId
            self.name = name
            self.committee = committee
            self.household = household
            self.seats = seats
            self.releasedAt = releasedAt
            self.monitoringEndsOn = monitoringEndsOn
        }
    }

    /// Days of health monitoring at home after release.
    public static let homeMonitoringDays = 7

    /// The last day of home monitoring for someone released at `releasedAt`, in `timeZone`.
    public static func monitoringEnds(releasedAt: Date, in timeZone: TimeZone) -> CalendarDate {
        CalendarDate(releasedAt, in: timeZone).adding(days: homeMonitoringDays)
    }
}
