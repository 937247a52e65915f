/// A site's occupancy at a glance.
public struct Census: Sendable, Codable, Equatable {
    public var siteId: Site.ID
    public var bedsByZone: [ZoneBeds]
    public var totals: BedCounts
    public var admittedPatients: Int
    public var days: [DayMovement]
    /// How many admitted patients the release rule lets go.
    public var eligibleForDischargeCount: Int
    /// The first `eligibleListed` of them, longest admitted first; the patient list's `eligible`
    /// filter pages through all of them.
    public var eligibleForDischarge: [EligiblePatient]

    /// At most this many eligible patients are listed, so the census stays small at any size.
    public static let eligibleListed = 100

    public init(
        siteId: Site.ID, bedsByZone: [ZoneBeds], totals: BedCounts, admittedPatients: Int, days: [DayMovement],
        eligibleForDischargeCount: Int, eligibleForDischarge: [EligiblePatient]
    ) {
        self.eligibleForDischargeCount = eligibleForDischargeCount
        self.siteId = siteId
        self.bedsByZone = bedsByZone
        self.totals = totals
        self.admittedPatients = admittedPatients
        self.days = days
        self.eligibleForDischarge = eligibleForDischarge
    }
}

/// Beds counted by status.
public struct BedCounts: Sendable, Codable, Equatable {
    public var free = 0, occupied = 0, cleaning = 0, outOfService = 0
    public var total: Int { free + occupied + cleaning + outOfService }

    public init(free: Int = 0, occupied: Int = 0, cleaning: Int = 0, outOfService: Int = 0) {
        self.free = free
        self.occupied = occupied
        self.cleaning = cleaning
        self.outOfService = outOfService
    }

    public mutating func add(_ status: BedStatus, _ count: Int) {
        switch status {
        case .free: free += count
        case .occupied: occupied += count
        case .cleaning: cleaning += count
        case .outOfService: outOfService += count
        }
    }
}

public struct ZoneBeds: Sendable, Codable, Equatable {
    public var zoneId: Zone.ID
    public var zoneCode: String
    public var zoneKind: ZoneKind
    public var beds: BedCounts

    public init(zoneId: Zone.ID, zoneCode: String, zoneKind: ZoneKind, beds: BedCounts) {
        self.zoneId = zoneId
        self.zoneCode = zoneCode
        self.zoneKind = zoneKind
        self.beds = beds
    }
}

/// Admissions and discharges on one calendar day in the site's time zone.
public struct DayMovement: Sendable, Codable, Equatable {
    public var date: CalendarDate
    public var admissions: Int
    public var discharges: Int

    public init(date: CalendarDate, admissions: Int, discharges: Int) {
        self.date = date
        self.admissions = admissions
        self.discharges = discharges
    }
}

public struct EligiblePatient: Sendable, Codable, Equatable {
    public var patientId: Patient.ID
    public var name: String
    public var bedCode: String?

    public init(patientId: Patient.ID, name: String, bedCode: String?) {
        self.patientId = patientId
        self.name = name
        self.bedCode = bedCode
    }
}
