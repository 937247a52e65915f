import Domain
import Foundation
import Storage

/// Admission, bed moves, discharge, test results and discharge eligibility.
public struct PatientService: Sendable {
    let database: Database
    let rule: DischargeRule

    /// Roles that admit, move, discharge and record tests.
    public static let carers: Set<Role> = [.siteManager, .clinician]
    /// Roles that may read patients (ID numbers masked for all but managers and admins).
    public static let readers: Set<Role> = [.siteManager, .clinician, .pharmacist, .branchSecretary]

    /// "Today" for date-of-birth checks: the latest calendar date anywhere on Earth, so no site's
    /// today is ever refused as the future.
    static func latestToday() -> CalendarDate {
        CalendarDate(Date(), in: TimeZone(secondsFromGMT: 14 * 3600)!)
    }

    /// Admits a new patient into a free bed: the patient, the bed and the assignment are written
    /// together or not at all.
    public func admit(siteId: Site.ID, _ admission: Admission, actor: Actor, idempotencyKey: IdempotencyKey? = nil)
        async throws -> Created<Patient>
    {
        try actor.require(Self.carers, at: siteId)
        let nationalId = try admission.validate(today: Self.latestToday())
        let admittedAt = admission.admittedAt ?? Date()
        var v = Validator()
        v.pastInstant(admittedAt, "admittedAt")
        try v.finish()
        let created = try await database.transaction(
            actor,
            idempotency: try IdempotentRequest(idempotencyKey, operation: "patient.admit.\(siteId)", request: admission)
        ) { tx in
            try await admit(siteId: siteId, admission, nationalId: nationalId, admittedAt: admittedAt, tx)
        }
        return Created(value: created.value.visible(to: actor, today: Self.latestToday()), replayed: created.replayed)
    }

    /// Admits a checked admission within `tx`: the site must be open, the bed free and right for
    /// the patient's sex; the patient, the bed and the assignment are written and audited.
    func admit(siteId: Site.ID, _ admission: Admission, nationalId: NationalID, admittedAt: Date, _ tx: Transaction)
        async throws -> Patient
    {
        let site = try await tx.site(siteId)
        guard site.status == .open else {
            throw DomainError.conflict("site \(site.code) is \(site.status.rawValue), not open for admissions")
        }
        if let opened = site.openedOn, admittedAt < site.start(of: opened) {
            throw DomainError.invalid("admittedAt", "must not be before the site opened on \(opened)")
        }
        _ = try await occupy(bedId: admission.bedId, siteId: siteId, for: admission.sex, field: "bedId", tx)
        let patients = tx.patients
        let id = try await patients.insert(siteId: siteId, admission, nationalId: nationalId, admittedAt: admittedAt)
        try await patients.openAssignment(siteId: siteId, patientId: id, bedId: admission.bedId, from: admittedAt)
        let patient = try await patients.get(siteId: siteId, id: id)!
        try await tx.audit.record(
            "admit", entity: "patient", id: id, siteId: siteId, before: Nothing?.none, after: patient)
        return patient
    }

    /// Marks a bed occupied by a patient of `sex`, explaining why when it cannot be.
    func occupy(bedId: Bed.ID, siteId: Site.ID, for sex: Sex, field: String, _ tx: Transaction) async throws -> Bed {
        let beds = tx.beds
        if let bed = try await beds.occupyIfFree(siteId: siteId, id: bedId, for: sex) { return bed }
        guard let bed = try await beds.get(siteId: siteId, id: bedId) else {
            throw DomainError.invalid(field, "no bed with id \(bedId) at this site")
        }
        if let refusal = bed.attributes.refusal(of: sex, bedCode: bed.code) {
            throw DomainError.invalid(field, refusal)
        }
        throw DomainError.conflict(
            "bed \(bed.code) is \(bed.status.rawValue.replacingOccurrences(of: "_", with: " ")), not free", field: field
        )
    }

    /// One patient.
    public func get(siteId: Site.ID, patientId: Patient.ID, actor: Actor) async throws -> Patient {
        try actor.require(Self.readers, at: siteId)
        let patient = try await database.read(actor) { tx in
            try await tx.patients.get(siteId: siteId, id: patientId)
        }
        guard let patient else { throw DomainError.notFound("patient not found") }
        return patient.visible(to: actor, today: Self.latestToday())
    }

    /// A page of the site's patients, optionally of one status, matching a name, bed or ID
    /// ending, in one zone, or (`releaseEligible`) admitted and eligible for release or not.
    public func list(
        siteId: Site.ID, status: PatientStatus?, matching: String? = nil, zoneId: Zone.ID? = nil,
        releaseEligible: Bool? = nil, page: PageRequest, actor: Actor
    ) async throws -> Page<Patient> {
        try actor.require(Self.readers, at: siteId)
        let query = matching?.trimmingCharacters(in: .whitespaces).prefix(100)
        let rows = try await database.read(actor) { tx in
            try await tx.patients.list(
                siteId: siteId, status: status, matching: query.flatMap { $0.isEmpty ? nil : String($0) },
                zoneId: zoneId, releaseEligible: releaseEligible, page: page)
        }
        return Page(fetched: rows, limit: page.limit, id: \.id).map { $0.visible(to: actor, today: Self.latestToday()) }
    }

    /// Edits phone, severity or Party membership when `expectedVersion` is current.
    public func update(
        siteId: Site.ID, patientId: Patient.ID, _ changes: PatientChanges, expectedVersion: Int?, actor: Actor
    ) async throws -> Patient {
        try actor.require(Self.carers, at: siteId)
        guard let expectedVersion else { throw DomainError.preconditionRequired }
        try changes.validate()
        let after = try await database.transaction(actor) { tx in
            let repo = tx.patients
            let before = try await lockedPatient(
                repo, siteId: siteId, patientId: patientId, expectedVersion: expectedVersion)
            let phone: String? = changes.phone ?? before.phone
            try await repo.update(
                siteId: siteId, id: patientId, phone: phone, severity: changes.severity ?? before.severity,
                partyMember: changes.partyMember ?? before.partyMember)
            let after = try await repo.get(siteId: siteId, id: patientId)!
            try await tx.audit.record(
                "update", entity: "patient", id: patientId, siteId: siteId, before: before, after: after)
            return after
        }
        return after.visible(to: actor, today: Self.latestToday())
    }

    /// Moves an admitted patient to another free bed; the old bed goes to cleaning.
    public func move(siteId: Site.ID, patientId: Patient.ID, toBed bedId: Bed.ID, expectedVersion: Int?, actor: Actor)
        async throws -> Patient
    {
        try actor.require(Self.carers, at: siteId)
        let after = try await database.transaction(actor) { tx in
            let repo = tx.patients
            let before = try await lockedPatient(
                repo, siteId: siteId, patientId: patientId, expectedVersion: expectedVersion)
            try before.requireAdmitted()
            if before.bedId == bedId {
                throw DomainError.conflict(
                    "patient is already in bed \(before.bedCode ?? String(bedId))", field: "bedId")
            }
            _ = try await occupy(bedId: bedId, siteId: siteId, for: before.sex, field: "bedId", tx)
            let now = Date()
            if let old = try await repo.closeAssignment(siteId: siteId, patientId: patientId, at: now) {
                _ = try await tx.beds.setStatus(siteId: siteId, id: old, to: .cleaning)
            }
            try await repo.openAssignment(siteId: siteId, patientId: patientId, bedId: bedId, from: now)
            try await repo.touch(siteId: siteId, id: patientId)
            let after = try await repo.get(siteId: siteId, id: patientId)!
            try await tx.audit.record(
                "move", entity: "patient", id: patientId, siteId: siteId, before: before, after: after)
            return after
        }
        return after.visible(to: actor, today: Self.latestToday())
    }

    /// Discharges an admitted patient. Release as recovered requires discharge eligibility;
    /// `other` requires a note. The bed goes to cleaning.
    public func discharge(
        siteId: Site.ID, patientId: Patient.ID, reason: DischargeReason, note: String?, at: Date? = nil,
        expectedVersion: Int?, actor: Actor
    ) async throws -> Patient {
        try actor.require(Self.carers, at: siteId)
        var v = Validator()
        v.optionalText(note, "note", max: 2000)
        if reason == .other {
            v.check(
                !(note ?? "").trimmingCharacters(in: .whitespaces).isEmpty, "note",
                "is required when the reason is other")
        }
        let now = Date()
        let dischargedAt = at ?? now
        v.check(dischargedAt <= now.addingTimeInterval(300), "dischargedAt", "must not be in the future")
        try v.finish()
        let after = try await database.transaction(actor) { tx in
            let repo = tx.patients
            let before = try await lockedPatient(
                repo, siteId: siteId, patientId: patientId, expectedVersion: expectedVersion)
            guard before.status == .admitted else {
                throw DomainError.illegalTransition(from: "discharged", to: "discharged", allowed: [])
            }
            if reason == .recovered {
                let verdict = rule.evaluate(try await repo.tests(siteId: siteId, patientId: patientId))
                guard verdict.eligible else {
                    throw DomainError.conflict(
                        "not eligible for release from isolation: " + verdict.reasons.joined(separator: "; "),
                        field: "reason")
                }
            }
            if dischargedAt < before.admittedAt {
                throw DomainError.invalid("dischargedAt", "must not be before the admission")
            }
            if let bed = try await repo.closeAssignment(siteId: siteId, patientId: patientId, at: dischargedAt) {
                _ = try await tx.beds.setStatus(siteId: siteId, id: bed, to: .cleaning)
            }
            try await repo.discharge(siteId: siteId, id: patientId, at: dischargedAt, reason: reason, note: note)
            let after = try await repo.get(siteId: siteId, id: patientId)!
            try await tx.audit.record(
                "discharge", entity: "patient", id: patientId, siteId: siteId, before: before, after: after)
            return after
        }
        return after.visible(to: actor, today: Self.latestToday())
    }

    private func lockedPatient(_ repo: PatientRepository, siteId: Site.ID, patientId: Patient.ID, expectedVersion: Int?)
        async throws -> Patient
    {
        let patient = try await existing(repo, siteId: siteId, patientId: patientId, lock: true)
        try patient.check(expectedVersion: expectedVersion)
        return patient
    }

    private func existing(_ repo: PatientRepository, siteId: Site.ID, patientId: Patient.ID, lock: Bool = false)
        async throws -> Patient
    {
        let patient = try await repo.get(siteId: siteId, id: patientId, lock: lock).orNotFound("patient")
        return patient
    }

    /// A patient's bed history, oldest first.
    public func assignments(siteId: Site.ID, patientId: Patient.ID, actor: Actor) async throws -> [BedAssignment] {
        try actor.require(Self.readers, at: siteId)
        return try await database.read(actor) { tx in
            let repo = tx.patients
            _ = try await existing(repo, siteId: siteId, patientId: patientId)
            return try await repo.assignments(siteId: siteId, patientId: patientId)
        }
    }

    /// Records a nucleic-acid test result.
    public func addTest(
        siteId: Site.ID, patientId: Patient.ID, _ entry: NucleicAcidTestEntry, actor: Actor,
        idempotencyKey: IdempotencyKey? = nil
    ) async throws -> Created<NucleicAcidTest> {
        try actor.require(Self.carers, at: siteId)
        return try await database.transaction(
            actor,
            idempotency: try IdempotentRequest(
                idempotencyKey, operation: "test.add.\(siteId).\(patientId)", request: entry)
        ) { tx in
            let repo = tx.patients
            let patient = try await existing(repo, siteId: siteId, patientId: patientId, lock: true)
            try entry.validate(now: Date(), admittedAt: patient.admittedAt)
            let (test, earlier) = try await repo.insertTest(siteId: siteId, patientId: patientId, entry)
            // The stored flag follows the rule over the earlier tests; write it only when the
            // new result changes the verdict (a positive after two clear ones, or the second clear).
            let eligible = rule.isEligible(earlier + [test])
            if eligible != rule.isEligible(earlier) {
                _ = try await repo.setReleaseEligible(siteId: siteId, [(patientId, eligible)])
            }
            try await tx.audit.record(
                "create", entity: "nucleic_acid_test", id: test.id, siteId: siteId, before: Nothing?.none, after: test)
            return test
        }
    }

    /// Works out again every admitted patient's release flag when the configured rule differs
    /// from the one the flags follow (or none was recorded, right after the migration that added
    /// them); `cordon serve` and `cordon migrate` call it. It is bulk work: at a million patients
    /// it reads every admitted patient's tests once. Returns how many flags changed, or nil when
    /// nothing needed doing or another instance is doing it.
    public func reconcileReleaseFlags() async throws -> Int? {
        try await database.transaction(.system("release-flags"), .bulk) { tx in
            let repo = tx.patients
            guard try await repo.releaseRuleApplied() != rule, try await tx.tryLock("release-flags") else {
                return nil
            }
            var changed = 0
            for siteId in try await tx.sites.ids() {
                let admitted = try await tx.census.lockAdmitted(siteId: siteId)
                let tests = Dictionary(grouping: try await repo.testsOfAdmitted(siteId: siteId), by: \.patientId)
                let flags = admitted.map { (id: $0, eligible: rule.isEligible(tests[$0] ?? [])) }
                changed += try await repo.setReleaseEligible(siteId: siteId, flags)
            }
            try await repo.recordReleaseRuleApplied(rule)
            return changed
        }
    }

    /// A patient's tests in sampling order.
    public func tests(siteId: Site.ID, patientId: Patient.ID, actor: Actor) async throws -> [NucleicAcidTest] {
        try actor.require(Self.readers, at: siteId)
        return try await database.read(actor) { tx in
            let repo = tx.patients
            _ = try await existing(repo, siteId: siteId, patientId: patientId)
            return try await repo.tests(siteId: siteId, patientId: patientId)
        }
    }

    /// Whether the patient may be released from isolation, and why not.
    public func eligibility(siteId: Site.ID, patientId: Patient.ID, actor: Actor) async throws -> DischargeEligibility {
        rule.evaluate(try await tests(siteId: siteId, patientId: patientId, actor: actor))
    }
}
