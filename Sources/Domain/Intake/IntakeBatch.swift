import Foundation

/// Where an expected person stands.
public enum ArrivalStatus: String, Sendable, Codable, CaseIterable {
    /// On the list, not yet admitted: holds the bed proposed for them, if any.
    case expected
    /// Admitted as a patient.
    case admitted
    /// Did not come, or went elsewhere; cancelled by staff.
    case cancelled
}

/// A transfer list accepted at a site: the people of one bus, expected at one time.
public struct IntakeBatch: Sendable, Equatable, Encodable {
    public var id: ID
    public var siteId: Site.ID
    public var reference: String
    public var expectedAt: Date
    public var createdAt: Date
    /// People by status, and how many of the expected hold a proposed bed.
    public var expected: Int
    public var admitted: Int
    public var cancelled: Int
    public var proposed: Int

    public init(
        id: ID, siteId: Site.ID, reference: String, expectedAt: Date, createdAt: Date, expected: Int, admitted: Int,
        cancelled: Int, proposed: Int
    ) {
        self.id = id
        self.siteId = siteId
        self.reference = reference
        self.expectedAt = expectedAt
        self.createdAt = createdAt
        self.expected = expected
        self.admitted = admitted
        self.cancelled = cancelled
        self.proposed = proposed
    }
}

/// One person of a batch, with the bed proposed for them and why, or why none could be.
public struct IntakePerson: Sendable, Equatable {
    public var id: ID
    public var batchId: IntakeBatch.ID
    /// The line of the file, or the index in the JSON list, the person came from.
    public var position: Int
    public var person: TransferPerson
    public var status: ArrivalStatus
    public var bedId: Bed.ID?
    public var bedCode: String?
    /// Why the proposed bed suits, or why nobody could be placed.
    public var reasons: [Explanation]
    public var patientId: Patient.ID?
    public var version: Int

    public init(
        id: ID, batchId: IntakeBatch.ID, position: Int, person: TransferPerson, status: ArrivalStatus, bedId: Bed.ID?,
        bedCode: String?, reasons: [Explanation], patientId: Patient.ID?, version: Int
    ) {
        self.id = id
        self.batchId = batchId
        self.position = position
        self.person = person
        self.status = status
        self.bedId = bedId
        self.bedCode = bedCode
        self.reasons = reasons
        self.patientId = patientId
        self.version = version
    }

    /// This person as the allocation sees them, aged on `today`.
    public func arrival(today: CalendarDate) -> Arrival { person.arrival(id: id.rawValue, today: today) }

    /// This copy with the ID number and phone as `level` shows them. Intake is read only by those
    /// who admit, and they see birth dates.
    public func disclosed(_ level: IdentityDisclosure) -> IntakePerson {
        var copy = self
        copy.person.nationalId = level.nationalId(person.nationalId)
        if !level.showsPhone { copy.person.phone = nil }
        return copy
    }
}
