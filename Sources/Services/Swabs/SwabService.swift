import Domain
import Foundation
import LabelPDF
import NIOPosix
import Storage

/// The stock tube labels are printed on: A4 sheets of 24, or 50 x 25 mm thermal labels.
public typealias LabelSheet = LabelPDF.Sheet

/// The daily swab round: who is due, their tubes, and what the nurses record at the bedside.
public struct SwabService: Sendable {
    let database: Database

    /// Roles that make rounds and record collection (nurses work under the clinician role).
    public static let carers: Set<Role> = [.siteManager, .clinician]
    /// Roles that set how often a site swabs.
    public static let planners: Set<Role> = [.siteManager]

    /// How often the site swabs.
    public func schedule(siteId: Site.ID, actor: Actor) async throws -> SwabSchedule {
        try actor.require(Self.carers, at: siteId)
        return try await database.read(actor) { tx in
            _ = try await tx.site(siteId)
            return try await tx.specimens.schedule(siteId: siteId)
        }
    }

    /// Sets how often the site swabs; rounds made from now on follow it.
    public func setSchedule(siteId: Site.ID, _ schedule: SwabSchedule, actor: Actor) async throws -> SwabSchedule {
        try actor.require(Self.planners, at: siteId)
        try schedule.validate()
        return try await database.transaction(actor) { tx in
            _ = try await tx.site(siteId)
            let repo = tx.specimens
            let before = try await repo.schedule(siteId: siteId)
            try await repo.setSchedule(siteId: siteId, schedule)
            try await tx.audit.record(
                "update", entity: "swab_schedule", id: siteId, siteId: siteId, before: before, after: schedule)
            return schedule
        }
    }

    /// The days a round may be made for: the site's today, and tomorrow so that labels can be
    /// printed the evening before.
    static func checkRoundDay(_ day: CalendarDate, of site: Site, field: String = "date") throws {
        let today = site.today
        guard day == today || day == today.adding(days: 1) else {
            throw DomainError.invalid(field, "a round is made for today (\(today)) or tomorrow, not \(day)")
        }
    }

    /// Makes the round of `day` (the site's today by default): a tube for every admitted patient
    /// who is due and has none yet. Made again, it prints tubes only for who became due since,
    /// points tubes not yet taken at their patient's new bed, and cancels those of patients who
    /// left. One making at a time per site; the unique key keeps a patient to one tube a day even so.
    public func makeRound(siteId: Site.ID, day: CalendarDate? = nil, actor: Actor) async throws -> SwabRoundMade {
        try actor.require(Self.carers, at: siteId)
        return try await database.transaction(actor, .bulk) { tx in
            let site = try await tx.site(siteId)
            guard site.status == .open else {
                throw DomainError.conflict("site \(site.code) is \(site.status.rawValue); it has no round to make")
            }
            let day = day ?? site.today
            try Self.checkRoundDay(day, of: site)
            try await tx.lock("swab round", scope: siteId)
            let repo = tx.specimens
            let plan = SwabRoundPlan(
                day: day, schedule: try await repo.schedule(siteId: siteId),
                admitted: try await repo.roundCandidates(siteId: siteId, day: day),
                departed: try await repo.departedTubes(siteId: siteId, day: day))
            let added = try await repo.insertTubes(siteId: siteId, day: day, plan.add)
            try await repo.moveTubes(siteId: siteId, plan.move)
            let cancelled = try await repo.cancelTubes(siteId: siteId, plan.cancel, because: .discharged)
            let made = SwabRoundMade(
                round: try await repo.round(siteId: siteId, day: day), added: added,
                moved: plan.move.map(\.accession), cancelled: cancelled, unplaced: plan.unplaced)
            try await tx.audit.record(
                "make", entity: "swab_round", id: day, siteId: siteId, before: Nothing?.none,
                after: RoundAudit(added: added, moved: made.moved.count, cancelled: cancelled))
            return made
        }
    }

    /// What the audit keeps of a making: counts, not 50,000 rows.
    struct RoundAudit: Encodable {
        var added: Int
        var moved: Int
        var cancelled: Int
    }

    /// The round of `day` (the site's today by default), counted by zone.
    public func round(siteId: Site.ID, day: CalendarDate? = nil, actor: Actor) async throws -> SwabRound {
        try actor.require(Self.carers, at: siteId)
        return try await database.read(actor) { tx in
            let site = try await tx.site(siteId)
            return try await tx.specimens.round(siteId: siteId, day: day ?? site.today)
        }
    }

    /// A page of a round's tubes, optionally of one zone or in one state.
    public func tubes(
        siteId: Site.ID, day: CalendarDate, zoneId: Zone.ID? = nil, status: SpecimenStatus? = nil,
        page: PageRequest, actor: Actor
    ) async throws -> Page<Specimen> {
        try actor.require(Self.carers, at: siteId)
        let rows = try await database.read(actor) { tx in
            _ = try await tx.site(siteId)
            return try await tx.specimens.tubes(siteId: siteId, day: day, zoneId: zoneId, status: status, page: page)
        }
        return Page(fetched: rows, limit: page.limit, id: \.accession.sequence)
    }

    /// The most labels one PDF holds: a zone of a large site, not the whole site at once.
    public static let largestLabelRun = 5_000

    /// The labels of a round's tubes as a PDF, in the order the nurses walk (zone, then bed):
    /// of one zone or the whole round, or only `accessions` (to reprint moved tubes). Each has
    /// the accession as a Code 128 barcode and in print, the bed, the day and the name.
    public func labels(
        siteId: Site.ID, day: CalendarDate, zoneId: Zone.ID? = nil, accessions: [AccessionNumber] = [],
        sheet: LabelSheet, actor: Actor
    ) async throws -> Data {
        try actor.require(Self.carers, at: siteId)
        let tubes = try await database.read(actor) { tx in
            _ = try await tx.site(siteId)
            return try await tx.specimens.labelTubes(
                siteId: siteId, day: day, zoneId: zoneId, only: accessions, limit: Self.largestLabelRun + 1)
        }
        guard tubes.count <= Self.largestLabelRun else {
            throw DomainError.invalid(
                "zoneId", "the round has more than \(Self.largestLabelRun) tubes: print its labels a zone at a time")
        }
        guard !tubes.isEmpty else {
            throw DomainError.notFound("no tube of the round of \(day) to label; make the round first")
        }
        let labels = tubes.map {
            LabelPDF.Label(code: $0.accession.description, lines: ["\($0.bedCode)  \($0.roundDate)", $0.patientName])
        }
        return try await NIOThreadPool.singleton.runIfActive { try LabelPDF.labels(labels, on: sheet) }
    }

    /// A patient's wristband as a PDF: their code (`WristbandCode`) as a Code 128 barcode, the
    /// name, the birth date (the second identifier at the bedside) and the bed.
    public func wristband(siteId: Site.ID, patientId: Patient.ID, actor: Actor) async throws -> Data {
        try actor.require(Self.carers, at: siteId)
        let patient = try await database.read(actor) { tx in
            try await tx.patients.get(siteId: siteId, id: patientId).orNotFound("patient")
        }
        return try await wristbands([patient], actor: actor)
    }

    /// The wristbands of everyone a bus brought who has been admitted, in list order: printed
    /// as the bus is admitted.
    public func wristbands(siteId: Site.ID, batchId: IntakeBatch.ID, actor: Actor) async throws -> Data {
        try actor.require(Self.carers, at: siteId)
        let patients = try await database.read(actor) { tx in
            _ = try await tx.intake.batch(siteId: siteId, id: batchId).orNotFound("transfer list")
            var patients: [Patient] = []
            for person in try await tx.intake.persons(siteId: siteId, batchId: batchId) {
                if let id = person.patientId, let patient = try await tx.patients.get(siteId: siteId, id: id),
                    patient.status == .admitted
                {
                    patients.append(patient)
                }
            }
            return patients
        }
        guard !patients.isEmpty else {
            throw DomainError.conflict("nobody of this list is admitted yet; admit the bus first")
        }
        return try await wristbands(patients, actor: actor)
    }

    private func wristbands(_ patients: [Patient], actor: Actor) async throws -> Data {
        let labels = try patients.map { stored in
            let patient = stored.visible(to: actor, today: PatientService.latestToday())
            guard let code = WristbandCode(patientId: patient.id) else {
                throw DomainError.conflict("patient \(patient.id) has a number too long for a wristband")
            }
            return LabelPDF.Label(
                code: code.description,
                lines: [patient.name, patient.dateOfBirth?.description ?? "", patient.bedCode ?? ""].filter {
                    !$0.isEmpty
                })
        }
        return try await NIOThreadPool.singleton.runIfActive { try LabelPDF.wristbands(labels) }
    }

    /// One tube of the site.
    public func specimen(siteId: Site.ID, accession: AccessionNumber, actor: Actor) async throws -> Specimen {
        try actor.require(Self.carers, at: siteId)
        return try await database.read(actor) { tx in
            try await tx.specimens.specimen(siteId: siteId, accession: accession).orNotFound("specimen")
        }
    }

    /// Records what a front end sent for a tube, read after the role check.
    public func recordCollection(
        siteId: Site.ID, accession: AccessionNumber, _ entry: CollectionEntry, actor: Actor
    ) async throws -> Specimen {
        try actor.require(Self.carers, at: siteId)
        return try await recordCollection(
            siteId: siteId, accession: accession, entry.outcome(now: Date()), actor: actor)
    }

    /// Records what happened to a tube at the bedside. A tube scanned against another patient's
    /// wristband is refused and nothing is written; the same outcome recorded twice (a second
    /// scan) answers the tube as it is.
    public func recordCollection(
        siteId: Site.ID, accession: AccessionNumber, _ outcome: CollectionOutcome, actor: Actor
    ) async throws -> Specimen {
        try actor.require(Self.carers, at: siteId)
        return try await database.transaction(actor) { tx in
            let site = try await tx.site(siteId)
            let repo = tx.specimens
            let before = try await repo.specimen(siteId: siteId, accession: accession, lock: true)
                .orNotFound("specimen")
            if try outcome.check(against: before, today: site.today, now: Date()) { return before }
            try await repo.recordCollection(siteId: siteId, accession: accession, outcome, by: actor.userId)
            let after = try await repo.specimen(siteId: siteId, accession: accession)!
            try await tx.audit.record(
                outcome.status == .collected ? "collect" : "not_collected", entity: "specimen",
                id: accession, siteId: siteId, before: before, after: after)
            return after
        }
    }
}
