import CordonAPI
import Domain
import Foundation
import OpenAPIRuntime
import Services

extension Components.Schemas.LabResultIntake {
    init(_ intake: ResultIntake) {
        self.init(
            recorded: intake.recorded, unchanged: intake.unchanged,
            held: intake.heldResults.map {
                .init(place: $0.place, accession: $0.accession, reason: $0.reason.converted(), detail: $0.detail)
            })
    }
}

extension Components.Schemas.ResultReview {
    init(_ r: ResultReview) {
        self.init(
            id: r.id.rawValue,
            laboratory: .init(id: r.laboratory.id.rawValue, code: r.laboratory.code, name: r.laboratory.name),
            siteId: r.siteId?.rawValue, form: r.form.converted(), reason: r.reason.converted(), detail: r.detail,
            place: r.place, receivedAccession: r.receivedAccession, result: r.result?.converted(), nGeneCt: r.nGeneCt,
            orf1abCt: r.orf1abCt, sampledAt: r.sampledAt, testedAt: r.testedAt, receivedAt: r.receivedAt,
            decision: r.decision?.converted(), decisionReason: r.decisionReason,
            matchedAccession: r.matchedAccession?.description, decidedAt: r.decidedAt)
    }
}
