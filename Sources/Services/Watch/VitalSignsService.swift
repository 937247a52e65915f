import Domain
import Foundation
import Storage

/// Vital signs taken at the bedside, each complete set scored by NEWS2 as it is kept; and the
/// SpO2 scale a clinician sets for a patient with hypercapnic respiratory failure.
public struct VitalSignsService: Sendable {
    let database: Database

    /// Who takes and reads vital signs: the site's clinicians (nurses among them) and managers.
    public static let carers = PatientService.carers
    /// How many sets a list returns at most.
    public static let listLimit = 1...1000

    /// Keeps a set (a partial one too, unscored) for an admitted patient.
    public func record(siteId: Site.ID, patientId: Patient.ID, _ draft: VitalSignsDraft, actor: Actor) async throws
        -> VitalSigns
    {
        try actor.require(Self.carers, at: siteId)
        try draft.validate(now: Date())
        return try await database.transaction(actor) { tx in
            let patient = try await tx.vitalSigns.patient(siteId: siteId, patientId: patientId, lock: true)
                .orNotFound("patient")
            guard patient.admitted else {
                throw DomainError.conflict("the patient is no longer admitted", field: "patientId")
            }
            let kept = try await tx.vitalSigns.insert(
                siteId: siteId, patientId: patientId, draft, scale: patient.scale, takenBy: actor.username)
            try await tx.audit.record(
                "record", entity: "vital_signs", id: kept.id.rawValue, siteId: siteId, before: String?.none,
                after: ["patientId": String(patientId.rawValue), "score": kept.score.map { String($0.total) } ?? ""])
            try await raiseAlert(kept, tx)
            return kept
        }
    }

    /// A deteriorating reading raises an alert in the transaction that keeps it, so no such
    /// reading is ever without one; a worse one raises the level of the patient's open alert.
    private func raiseAlert(_ kept: VitalSigns, _ tx: Transaction) async throws {
        guard let score = kept.score, let level = AlertLevel(score) else { return }
        let action: String
        let id: DeteriorationAlert.ID
        switch try await tx.alerts.raise(
            siteId: kept.siteId, patientId: kept.patientId, vitalSignsId: kept.id, level: level, score: score.total)
        {
        case .alreadyOpen: return
        case .raised(let raised): (action, id) = ("raise", raised)
        case .levelRaised(let raised): (action, id) = ("raise_level", raised)
        }
        try await tx.audit.record(
            action, entity: "deterioration_alert", id: id.rawValue, siteId: kept.siteId, before: String?.none,
            after: ["level": level.rawValue, "score": String(score.total), "vitalSignsId": String(kept.id.rawValue)])
    }

    /// A patient's sets, the latest taken first.
    public func list(siteId: Site.ID, patientId: Patient.ID, limit: Int = 100, actor: Actor) async throws
        -> [VitalSigns]
    {
        try actor.require(Self.carers, at: siteId)
        var v = Validator()
        v.check(Self.listLimit.contains(limit), "limit", "must be 1-1000")
        try v.finish()
        return try await database.read(actor) { tx in
            _ = try await tx.vitalSigns.patient(siteId: siteId, patientId: patientId).orNotFound("patient")
            return try await tx.vitalSigns.list(siteId: siteId, patientId: patientId, limit: limit)
        }
    }

    /// Sets the scale a patient's SpO2 is scored on from the next set (scale 2 for hypercapnic
    /// respiratory failure, a clinician's decision); audited.
    public func setScale(siteId: Site.ID, patientId: Patient.ID, _ scale: SpO2Scale, actor: Actor) async throws {
        try actor.require([.clinician], at: siteId)
        try await database.transaction(actor) { tx in
            let before = try await tx.vitalSigns.patient(siteId: siteId, patientId: patientId, lock: true)
                .orNotFound("patient")
            try await tx.vitalSigns.setScale(siteId: siteId, patientId: patientId, scale)
            try await tx.audit.record(
                "set_spo2_scale", entity: "patient", id: patientId.rawValue, siteId: siteId,
                before: ["spo2Scale": before.scale.rawValue], after: ["spo2Scale": scale.rawValue])
        }
    }
}
