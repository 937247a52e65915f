import Foundation

/// An admitted patient as the day's round sees them.
public struct SwabCandidate: Sendable, Equatable {
    /// A tube already printed for the patient for the day.
    public struct PrintedTube: Sendable, Equatable {
        public var accession: AccessionNumber
        public var status: SpecimenStatus
        public var bedId: Bed.ID

        public init(accession: AccessionNumber, status: SpecimenStatus, bedId: Bed.ID) {
            self.accession = accession
            self.status = status
            self.bedId = bedId
        }
    }

    public var patientId: Patient.ID
    /// The day of admission in the site's time zone.
    public var admittedOn: CalendarDate
    /// The latest day before the round's on which a swab was taken, if any.
    public var lastSwabbedOn: CalendarDate?
    /// The bed they lie in now, and its zone (nil only if they hold no bed).
    public var bed: (id: Bed.ID, zoneId: Zone.ID)?
    public var printed: PrintedTube?

    public init(
        patientId: Patient.ID, admittedOn: CalendarDate, lastSwabbedOn: CalendarDate?,
        bed: (id: Bed.ID, zoneId: Zone.ID)?, printed: PrintedTube?
    ) {
        self.patientId = patientId
        self.admittedOn = admittedOn
        self.lastSwabbedOn = lastSwabbedOn
        self.bed = bed
        self.printed = printed
    }

    public static func == (a: SwabCandidate, b: SwabCandidate) -> Bool {
        a.patientId == b.patientId && a.admittedOn == b.admittedOn && a.lastSwabbedOn == b.lastSwabbedOn
            && a.bed?.id == b.bed?.id && a.bed?.zoneId == b.bed?.zoneId && a.printed == b.printed
    }
}

/// What making (or making again) a day's round changes: tubes to print for who became due,
/// tubes to follow their patient to another bed, and tubes to cancel because their patient left.
public struct SwabRoundPlan: Sendable, Equatable {
    public struct NewTube: Sendable, Equatable {
        public var patientId: Patient.ID
        public var bedId: Bed.ID
        public var zoneId: Zone.ID
    }

    public struct MovedTube: Sendable, Equatable {
        public var accession: AccessionNumber
        public var bedId: Bed.ID
        public var zoneId: Zone.ID
    }

    public var add: [NewTube] = []
    public var move: [MovedTube] = []
    public var cancel: [AccessionNumber] = []
    /// Patients due who hold no bed, so no tube can say where to find them.
    public var unplaced: [Patient.ID] = []

    /// The plan for `day`: `admitted` are the site's admitted patients, `departed` the tubes of
    /// the day printed for patients who are no longer admitted. Only tubes not yet taken move or
    /// are cancelled; a taken tube keeps the bed it was taken in.
    public init(
        day: CalendarDate, schedule: SwabSchedule, admitted: [SwabCandidate],
        departed: [SwabCandidate.PrintedTube]
    ) {
        let open: Set<SpecimenStatus> = [.due, .notCollected]
        for candidate in admitted {
            if let printed = candidate.printed {
                if open.contains(printed.status), let bed = candidate.bed, bed.id != printed.bedId {
                    move.append(MovedTube(accession: printed.accession, bedId: bed.id, zoneId: bed.zoneId))
                }
                continue
            }
            guard
                schedule.isDue(
                    admittedOn: candidate.admittedOn, lastSwabbedOn: candidate.lastSwabbedOn, on: day)
            else { continue }
            if let bed = candidate.bed {
                add.append(NewTube(patientId: candidate.patientId, bedId: bed.id, zoneId: bed.zoneId))
            } else {
                unplaced.append(candidate.patientId)
            }
        }
        cancel = departed.filter { open.contains($0.status) }.map(\.accession)
    }
}

/// How many tubes of a round (or of one zone of it) are in each state.
public struct SwabTally: Sendable, Codable, Equatable {
    public var due = 0
    public var collected = 0
    public var notCollected = 0
    public var sent = 0
    public var resulted = 0
    public var cancelled = 0

    public init() {}

    /// Every tube printed that still counts: all but the cancelled.
    public var printed: Int { due + collected + notCollected + sent + resulted }
    /// Tubes taken from a patient, whatever happened to them since.
    public var taken: Int { collected + sent + resulted }

    public mutating func add(_ status: SpecimenStatus, count: Int) {
        switch status {
        case .due: due += count
        case .collected: collected += count
        case .notCollected: notCollected += count
        case .sent: sent += count
        case .resulted: resulted += count
        case .cancelled: cancelled += count
        }
    }

    public static func + (a: SwabTally, b: SwabTally) -> SwabTally {
        var sum = a
        sum.due += b.due
        sum.collected += b.collected
        sum.notCollected += b.notCollected
        sum.sent += b.sent
        sum.resulted += b.resulted
        sum.cancelled += b.cancelled
        return sum
    }
}

/// A site's round of one day: its tubes counted by zone.
public struct SwabRound: Sendable, Codable, Equatable {
    public struct ZoneTally: Sendable, Codable, Equatable {
        public var zoneId: Zone.ID
        public var zoneCode: String
        public var zoneName: String
        public var tally: SwabTally

        public init(zoneId: Zone.ID, zoneCode: String, zoneName: String, tally: SwabTally) {
            self.zoneId = zoneId
            self.zoneCode = zoneCode
            self.zoneName = zoneName
            self.tally = tally
        }
    }

    public var siteId: Site.ID
    public var date: CalendarDate
    /// Zones in code order.
    public var zones: [ZoneTally]
    /// When the box holding the site's oldest tube still waiting for its result was sent (any
    /// day's round), or nil when no tube is waiting.
    public var oldestAwaitingSince: Date?

    public init(siteId: Site.ID, date: CalendarDate, zones: [ZoneTally], oldestAwaitingSince: Date? = nil) {
        self.siteId = siteId
        self.date = date
        self.zones = zones
        self.oldestAwaitingSince = oldestAwaitingSince
    }

    public var total: SwabTally { zones.reduce(SwabTally()) { $0 + $1.tally } }
}

/// What one making of a round did, beside the round it left.
public struct SwabRoundMade: Sendable, Codable, Equatable {
    public var round: SwabRound
    /// Tubes printed by this making.
    public var added: Int
    /// Tubes that follow their patient to another bed: reprint their labels.
    public var moved: [AccessionNumber]
    /// Tubes cancelled because their patient left.
    public var cancelled: Int
    /// Patients due who hold no bed.
    public var unplaced: [Patient.ID]

    public init(round: SwabRound, added: Int, moved: [AccessionNumber], cancelled: Int, unplaced: [Patient.ID]) {
        self.round = round
        self.added = added
        self.moved = moved
        self.cancelled = cancelled
        self.unplaced = unplaced
    }
}
