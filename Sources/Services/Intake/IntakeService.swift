import Domain
import Foundation
import Storage

/// What admitting a batch did, person by person.
public struct IntakeAdmission: Sendable {
    /// Someone admitted now, or by an earlier request (`replayed`).
    public struct Admitted: Sendable, Equatable {
        public var personId: IntakePerson.ID
        public var patientId: Patient.ID
        public var replayed: Bool
    }
    /// Someone left as they were, and why.
    public struct Skipped: Sendable, Equatable {
        public var personId: IntakePerson.ID
        public var reason: String
    }
    public var admitted: [Admitted] = []
    /// People whose bed was taken meanwhile: each has a new proposal, or the reason there is none.
    public var reproposed: [IntakePerson] = []
    /// Not admitted: no bed proposed, cancelled, or refused (already admitted elsewhere at the site, say).
    public var skipped: [Skipped] = []
}

/// Intake by the busload: the command's transfer list accepted whole as a batch of expected
/// people, a bed proposed for each under `BedAllocation`'s rules, and the batch admitted person
/// by person.
public struct IntakeService: Sendable {
    let database: Database
    let patients: PatientService
    let security: SecurityLogService

    /// Roles that receive buses: import, propose, change a bed, admit, cancel, read.
    public static let receivers: Set<Role> = [.siteManager, .clinician]

    /// Checks the whole list and keeps it as a batch of expected people, or refuses it with every
    /// problem named by `positions`, writing nothing.
    public func importList(siteId: Site.ID, _ list: TransferList, positions: ListPositions = .json, actor: Actor)
        async throws -> IntakeBatch
    {
        try await importList(siteId: siteId, list, positions: positions, formatIssues: [], actor: actor)
    }

    /// The same, refusing the list also for `formatIssues`: the rows of a file that could not be
    /// read, reported in line order with the problems of the rows that could.
    ///
    /// A list naming people already at the site is refused as `KnownIdentity.issues` says for
    /// the caller. For a caller who may not see whole ID numbers, each such refusal is written
    /// to the security log and counted: past `matchRefusalsPerHour` in an hour, the caller's
    /// lists are refused with 429 until the hour is over, so numbers cannot be tried by the
    /// hundred.
    func importList(
        siteId: Site.ID, _ list: TransferList, positions: ListPositions, formatIssues: [FieldIssue], actor: Actor
    ) async throws -> IntakeBatch {
        try actor.require(Self.receivers, at: siteId)
        let disclosure = IdentityDisclosure.of(actor, at: siteId)
        let limiter = RateLimiter(database: database)
        let bucket = "identity-match:user:\(actor.userId.map(String.init) ?? actor.username)"
        let counted = !disclosure.showsFullNationalID
        if counted {
            try await limiter.refuseIfSpent(
                bucket: bucket, limit: Self.matchRefusalsPerHour, window: 3600,
                what: "transfer lists naming people already here")
        }
        let outcome: ImportOutcome = try await database.transaction(actor) { tx in
            let site = try await tx.site(siteId)
            let candidates = list.persons.compactMap { try? NationalID(validating: $0.nationalId).value }
            let known = try await tx.intake.known(siteId: siteId, nationalIds: candidates)
            var issues = formatIssues
            var byRow: [String: String] = [:]
            switch KnownIdentity.issues(known, disclosure: disclosure) {
            case .byRow(let refusals): byRow = refusals
            case .whole(let issue): issues.append(issue)
            }
            var ids: [NationalID] = []
            do {
                ids = try list.validate(today: site.today, known: byRow, positions: positions)
            } catch DomainError.invalid(let more) {
                issues += more
            }
            if !issues.isEmpty { return .refused(Self.byLine(issues), matches: known.count) }
            let positionOf = positions.position
            let batchId = try await tx.intake.insert(
                siteId: siteId, reference: list.reference, expectedAt: list.batchExpectedAt!,
                persons: list.persons.indices.map { (positionOf($0), list.persons[$0], ids[$0]) })
            let batch = try await tx.intake.batch(siteId: siteId, id: batchId)!
            try await tx.audit.record(
                "import", entity: "intake_batch", id: batchId, siteId: siteId, before: Nothing?.none,
                after: ["reference": list.reference, "persons": String(list.persons.count)])
            return .accepted(batch)
        }
        switch outcome {
        case .accepted(let batch):
            return batch
        case .refused(let issues, let matches):
            if counted && matches > 0 {
                await security.record(
                    SecurityEvent(
                        kind: .identityMatch, status: 422, method: "POST", path: "/sites/\(siteId)/intake-batches",
                        address: actor.origin.address, requestId: actor.origin.requestId, username: actor.username,
                        detail: "transfer list refused: \(matches) of its ID numbers belong to people at the site"))
                try await limiter.admit(
                    bucket: bucket, limit: Self.matchRefusalsPerHour, window: 3600,
                    what: "transfer lists naming people already here")
            }
            throw DomainError.invalid(issues)
        }
    }

    /// Lists refused for naming people already at the site, per caller who may not see whole ID
    /// numbers, in an hour.
    public static let matchRefusalsPerHour = 5

    private enum ImportOutcome: Sendable {
        case accepted(IntakeBatch)
        /// Nothing was written; `matches` people of the list are already at the site.
        case refused([FieldIssue], matches: Int)
    }

    /// Proposes a bed for every expected person of the batch, replacing earlier proposals, and
    /// keeps them. Beds held for other batches are left to them.
    public func propose(siteId: Site.ID, batchId: IntakeBatch.ID, actor: Actor) async throws -> [IntakePerson] {
        try actor.require(Self.receivers, at: siteId)
        return try await database.transaction(actor) { tx in
            try await tx.intake.batch(siteId: siteId, id: batchId, lock: true).orNotFound("intake batch")
            let people = try await proposeAgain(siteId: siteId, batchId: batchId, only: nil, tx)
            try await tx.audit.record(
                "propose", entity: "intake_batch", id: batchId, siteId: siteId, before: Nothing?.none,
                after: ["placed": String(people.filter { $0.bedId != nil }.count), "expected": String(people.count)])
            return try await tx.intake.persons(siteId: siteId, batchId: batchId)
        }
    }

    /// Proposes beds for the batch's expected people (or `only` these), keeping other proposals.
    private func proposeAgain(siteId: Site.ID, batchId: IntakeBatch.ID, only: Set<IntakePerson.ID>?, _ tx: Transaction)
        async throws -> [IntakePerson]
    {
        let intake = tx.intake
        try await intake.lockProposals(siteId: siteId)
        let today = try await tx.site(siteId).today
        let expected = try await intake.persons(siteId: siteId, batchId: batchId).filter {
            $0.status == .expected && (only?.contains($0.id) ?? true)
        }
        try await intake.setProposals(siteId: siteId, expected.map { ($0.id, nil, []) })
        let beds = try await intake.allocationBeds(siteId: siteId)
        let proposal = BedAllocation.propose(expected.map { $0.arrival(today: today) }, beds: beds)
        try await intake.setProposals(
            siteId: siteId,
            proposal.placements.map { (IntakePerson.ID(rawValue: $0.arrivalId), $0.bedId, $0.reasons) }
                + proposal.unplaced.map { (IntakePerson.ID(rawValue: $0.arrivalId), nil, [$0.reason]) })
        return expected
    }

    /// Puts an expected person in another bed than proposed: a free bed, held for nobody else,
    /// and not kept for the other sex.
    public func chooseBed(
        siteId: Site.ID, personId: IntakePerson.ID, bedId: Bed.ID, expectedVersion: Int?, actor: Actor
    ) async throws -> IntakePerson {
        try actor.require(Self.receivers, at: siteId)
        guard let expectedVersion else { throw DomainError.preconditionRequired }
        return try await database.transaction(actor) { tx in
            let before = try await tx.intake.person(siteId: siteId, id: personId, lock: true).orNotFound("person")
            guard before.version == expectedVersion else {
                throw DomainError.preconditionFailed(currentVersion: before.version)
            }
            guard before.status == .expected else {
                throw DomainError.conflict("\(before.person.name) is \(before.status.rawValue), not expected")
            }
            try await tx.intake.lockProposals(siteId: siteId)
            guard let bed = try await tx.beds.get(siteId: siteId, id: bedId) else {
                throw DomainError.invalid("bedId", "no bed with id \(bedId) at this site")
            }
            if bed.id != before.bedId {
                guard bed.status == .free else {
                    throw DomainError.conflict("bed \(bed.code) is not free", field: "bedId")
                }
                if let refusal = bed.attributes.refusal(of: before.person.sex, bedCode: bed.code) {
                    throw DomainError.invalid("bedId", refusal)
                }
            }
            // A bed held for someone else expected is refused by `intake_persons_bed_key`.
            try await tx.intake.setProposals(siteId: siteId, [(personId, bedId, [Explanation("intake.chosen")])])
            let after = try await tx.intake.person(siteId: siteId, id: personId)!
            try await tx.audit.record(
                "choose_bed", entity: "intake_person", id: personId, siteId: siteId,
                before: ["bed": before.bedCode ?? ""], after: ["bed": after.bedCode ?? ""])
            return after.disclosed(IdentityDisclosure.of(actor, at: siteId))
        }
    }

    /// Cancels an expected person who did not come; their bed is released.
    public func cancel(siteId: Site.ID, personId: IntakePerson.ID, actor: Actor) async throws -> IntakePerson {
        try actor.require(Self.receivers, at: siteId)
        return try await database.transaction(actor) { tx in
            let before = try await tx.intake.person(siteId: siteId, id: personId, lock: true).orNotFound("person")
            if before.status == .cancelled { return before.disclosed(IdentityDisclosure.of(actor, at: siteId)) }
            guard before.status == .expected else {
                throw DomainError.illegalTransition(
                    from: before.status.rawValue, to: ArrivalStatus.cancelled.rawValue, allowed: [])
            }
            try await tx.intake.cancel(siteId: siteId, id: personId)
            try await tx.audit.record(
                "cancel", entity: "intake_person", id: personId, siteId: siteId, before: Nothing?.none,
                after: Nothing?.none)
            return try await tx.intake.person(siteId: siteId, id: personId)!.disclosed(
                IdentityDisclosure.of(actor, at: siteId))
        }
    }

    /// Admits the batch's expected people who hold a proposed bed (or `only` these), each in a
    /// transaction of their own, at `arrivedAt` (now if nil). Idempotent: someone already admitted
    /// is reported, not admitted twice. When a bed was taken meanwhile, that person is not admitted
    /// and gets a new proposal; the bed exclusion constraint has the final word.
    public func admit(
        siteId: Site.ID, batchId: IntakeBatch.ID, only: Set<IntakePerson.ID>? = nil, arrivedAt: Date? = nil,
        actor: Actor
    ) async throws -> IntakeAdmission {
        try actor.require(Self.receivers, at: siteId)
        if let arrivedAt {
            var v = Validator()
            v.pastInstant(arrivedAt, "arrivedAt")
            try v.finish()
        }
        let people = try await database.read(actor) { tx in
            try await tx.intake.batch(siteId: siteId, id: batchId).orNotFound("intake batch")
            return try await tx.intake.persons(siteId: siteId, batchId: batchId)
        }
        if let only {
            let unknown = only.subtracting(people.map(\.id))
            if let first = unknown.first { throw DomainError.invalid("personIds", "no person \(first) in this batch") }
        }
        let arrivedAt = arrivedAt ?? Date()
        var result = IntakeAdmission()
        var bedTaken: [IntakePerson.ID: String] = [:]
        for person in people where only?.contains(person.id) ?? true {
            switch try await admitOne(siteId: siteId, person.id, arrivedAt: arrivedAt, actor: actor) {
            case .admitted(let patient, let replayed):
                result.admitted.append(.init(personId: person.id, patientId: patient, replayed: replayed))
            case .skipped(let reason): result.skipped.append(.init(personId: person.id, reason: reason))
            case .bedTaken: bedTaken[person.id] = person.bedCode ?? "?"
            }
        }
        if !bedTaken.isEmpty {
            let bedTaken = bedTaken
            result.reproposed = try await database.transaction(actor) { tx in
                _ = try await proposeAgain(siteId: siteId, batchId: batchId, only: Set(bedTaken.keys), tx)
                let level = IdentityDisclosure.of(actor, at: siteId)
                return try await tx.intake.persons(siteId: siteId, batchId: batchId)
                    .filter { bedTaken[$0.id] != nil }
                    .map { person in
                        var copy = person.disclosed(level)
                        copy.reasons.insert(
                            Explanation("intake.bed_taken", ["bed": .text(bedTaken[person.id]!)]), at: 0)
                        return copy
                    }
            }
        }
        return result
    }

    private enum OneAdmission {
        case admitted(Patient.ID, replayed: Bool)
        case skipped(String)
        case bedTaken
    }

    private func admitOne(siteId: Site.ID, _ personId: IntakePerson.ID, arrivedAt: Date, actor: Actor) async throws
        -> OneAdmission
    {
        do {
            return try await database.transaction(actor) { tx in
                let person = try await tx.intake.person(siteId: siteId, id: personId, lock: true)!
                switch person.status {
                case .admitted: return .admitted(person.patientId!, replayed: true)
                case .cancelled: return .skipped("cancelled")
                case .expected: break
                }
                guard let bedId = person.bedId else { return .skipped("no bed proposed") }
                let p = person.person
                let admission = Admission(
                    name: p.name, sex: p.sex, dateOfBirth: p.dateOfBirth, phone: p.phone, nationalId: p.nationalId,
                    severity: .asymptomatic, partyMember: false, bedId: bedId, admittedAt: arrivedAt,
                    home: HomeDetails(
                        homeAddress: p.homeAddress, committee: p.committee, household: p.household,
                        needsCarer: p.vulnerabilities.contains(.needsCarer)))
                let nationalId = try NationalID(validating: p.nationalId)
                // The proposal lets go of the bed first, so that the admission may take it.
                try await tx.intake.setProposals(siteId: siteId, [(personId, nil, person.reasons)])
                let patient = try await patients.admit(
                    siteId: siteId, admission, nationalId: nationalId, admittedAt: arrivedAt, tx)
                if let tested = p.testDate {
                    let site = try await tx.site(siteId)
                    _ = try await tx.patients.insertTest(
                        siteId: siteId, patientId: patient.id,
                        NucleicAcidTestEntry(
                            sampledAt: site.start(of: tested), result: .positive, nGeneCt: p.nGeneCt,
                            orf1abCt: p.orf1abCt))
                }
                try await tx.intake.markAdmitted(siteId: siteId, id: personId, patientId: patient.id)
                return .admitted(patient.id, replayed: false)
            }
        } catch let error as DomainError {
            // The bed taken, or re-marked for the other sex, since it was proposed: propose again.
            // Anything else about this person is reported, and the rest of the bus goes on.
            switch error {
            case .conflict(_, field: "bedId"): return .bedTaken
            case .invalid(let issues) where issues.contains(where: { $0.field == "bedId" }): return .bedTaken
            case .conflict(let message, _): return .skipped(message)
            case .invalid(let issues):
                return .skipped(issues.map { "\($0.field): \($0.detail)" }.joined(separator: "; "))
            default: throw error
            }
        }
    }

    /// The site's batches, latest expected first; with `open`, those with someone still expected.
    public func batches(siteId: Site.ID, open: Bool, actor: Actor) async throws -> [IntakeBatch] {
        try actor.require(Self.receivers, at: siteId)
        return try await database.read(actor) { tx in
            try await tx.intake.batches(siteId: siteId, open: open, limit: 200)
        }
    }

    /// One expected, admitted or cancelled person, identity as the reader may see it.
    public func person(siteId: Site.ID, personId: IntakePerson.ID, actor: Actor) async throws -> IntakePerson {
        try actor.require(Self.receivers, at: siteId)
        let person = try await database.read(actor) { tx in
            try await tx.intake.person(siteId: siteId, id: personId).orNotFound("person")
        }
        return person.disclosed(IdentityDisclosure.of(actor, at: siteId))
    }

    /// One batch and its people in list order, identities as the reader may see them.
    public func batch(siteId: Site.ID, batchId: IntakeBatch.ID, actor: Actor) async throws -> (
        IntakeBatch, [IntakePerson]
    ) {
        try actor.require(Self.receivers, at: siteId)
        let level = IdentityDisclosure.of(actor, at: siteId)
        return try await database.read(actor) { tx in
            let batch = try await tx.intake.batch(siteId: siteId, id: batchId).orNotFound("intake batch")
            return (batch, try await tx.intake.persons(siteId: siteId, batchId: batchId).map { $0.disclosed(level) })
        }
    }
}
