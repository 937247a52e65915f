import CordonAPI
import Domain
import Foundation
import OpenAPIRuntime
import Services

extension Components.Schemas.ReleaseCriteria {
    init(_ c: ReleaseCriteria) {
        self.init(
            noFeverHours: c.noFeverHours, feverCelsius: c.feverCelsius, symptomsImproved: c.symptomsImproved,
            news2Stable: c.news2Stable)
    }

    var criteria: ReleaseCriteria {
        ReleaseCriteria(
            noFeverHours: noFeverHours, feverCelsius: feverCelsius, symptomsImproved: symptomsImproved,
            news2Stable: news2Stable ?? false)
    }
}

extension Components.Schemas.ReleaseReason {
    init(_ e: Explanation) { self.init(code: e.key, text: e.english) }
}

extension Components.Schemas.ReleaseSignOff {
    init(_ s: ReleaseSignOff) {
        self.init(
            id: s.id, signedBy: s.signedBy, signedAt: s.signedAt, symptomsImproved: s.symptomsImproved, note: s.note)
    }
}

extension Components.Schemas.ReleaseCandidate {
    init(_ c: ReleaseCandidate, criteria: ReleaseCriteria) {
        let reasons = c.reasons(criteria)
        self.init(
            patientId: c.patientId.rawValue, name: c.name, zoneCode: c.zoneCode, zoneName: c.zoneName,
            bedCode: c.bedCode, testsMet: c.testsMet, feverAt: c.fever?.takenAt, feverCelsius: c.fever?.celsius,
            signOff: c.signOff.map(Components.Schemas.ReleaseSignOff.init), withdrawnAt: c.withdrawn?.withdrawnAt,
            withdrawnReason: c.withdrawn.flatMap { .init(rawValue: $0.reason.rawValue) }, ready: reasons.isEmpty,
            reasons: reasons.map(Components.Schemas.ReleaseReason.init))
    }
}

extension Components.Schemas.ReleaseList {
    init(criteria: ReleaseCriteria, candidates: [ReleaseCandidate]) {
        self.init(criteria: .init(criteria), patients: candidates.map { .init($0, criteria: criteria) })
    }
}

extension Components.Schemas.ReleaseResult {
    init(_ batch: ReleaseBatch) {
        self.init(
            released: batch.released,
            outcomes: batch.outcomes.map { id, outcome in
                switch outcome {
                case .released: .init(patientId: id.rawValue, outcome: .released, reasons: [])
                case .alreadyReleased(let at):
                    .init(patientId: id.rawValue, outcome: .alreadyReleased, releasedAt: at, reasons: [])
                case .leftOut(let reasons):
                    .init(patientId: id.rawValue, outcome: .leftOut, reasons: reasons.map { .init($0) })
                }
            })
    }
}

extension Components.Schemas.ReleaseCertificate {
    init(_ issued: IssuedCertificate) {
        let c = issued.certificate
        self.init(
            number: c.number, patientId: c.patientId.rawValue, name: c.name, maskedNationalId: c.maskedNationalId,
            siteName: c.siteName, admittedOn: c.admittedOn.description, releasedOn: c.releasedOn.description,
            qualifyingTests: c.qualifyingTests.map {
                .init(
                    sampledAt: $0.sampledAt, result: .init(rawValue: $0.result.rawValue) ?? .negative,
                    nGeneCt: $0.nGeneCt, orf1abCt: $0.orf1abCt)
            },
            status: c.isRevoked ? .revoked : .valid, revokedAt: c.revocation?.at, revokedBy: c.revocation?.by,
            revocationReason: c.revocation?.reason, verifyUrl: issued.verifyURL, holderUrl: issued.holderURL)
    }
}
