import Domain
import Storage

extension PatientService {
    /// The most referrals and free beds a record lists.
    static let recordListLimit = 500

    /// A patient's whole record in one snapshot: identity as the reader may see it, bed history,
    /// tests and the release verdict, and, for the roles that read them, care plans, today's
    /// doses, referrals and the beds the patient could move to.
    public func record(siteId: Site.ID, patientId: Patient.ID, actor: Actor) async throws -> PatientRecord {
        try actor.require(Self.readers, at: siteId)
        let reads = (
            care: actor.holds(any: CareService.readers, at: siteId),
            doses: actor.holds(any: CareService.readers.union(StockService.dispensers), at: siteId),
            referrals: actor.holds(any: ReferralService.siteReaders, at: siteId),
            moves: actor.holds(any: Self.carers, at: siteId)
        )
        let rule = rule
        let record = try await database.snapshot(actor) { tx in
            let patients = tx.patients
            let patient = try await patients.get(siteId: siteId, id: patientId).orNotFound("patient")
            let tests = try await patients.tests(siteId: siteId, patientId: patientId)
            let site = try await tx.site(siteId)
            let page = PageRequest(limit: Self.recordListLimit)
            return PatientRecord(
                patient: patient.visible(to: actor, today: site.today),
                bedHistory: try await patients.assignments(siteId: siteId, patientId: patientId),
                tests: tests, eligibility: rule.evaluate(tests),
                carePlans: reads.care
                    ? try await tx.care.plans(siteId: siteId, patientId: patientId, status: nil) : nil,
                dosesToday: reads.doses
                    ? try await CareService.doses(tx, site: site, day: site.today, patientId: patientId) : nil,
                referrals: reads.referrals
                    ? try await tx.referrals.referrals(
                        siteId: siteId, hospitalId: nil, patientId: patientId, status: nil, since: nil, page: page)
                    : nil,
                freeBeds: reads.moves && patient.status == .admitted
                    ? try await tx.beds.list(siteId: siteId, zoneId: nil, status: .free, page: page) : nil)
        }
        var visible = record
        visible.referrals = record.referrals?.map { $0.visible(to: actor) }
        return visible
    }
}
