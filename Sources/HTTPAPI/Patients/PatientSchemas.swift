import CordonAPI
import Domain
import Foundation
import OpenAPIRuntime
import Services

extension Components.Schemas.Patient {
    init(_ p: Patient) {
        self.init(
            id: p.id.rawValue, siteId: p.siteId.rawValue, name: p.name, sex: p.sex.converted(),
            dateOfBirth: p.dateOfBirth?.description,
            ageYears: p.ageYears ?? 0, phone: p.phone, nationalId: p.nationalId, nationalIdMasked: p.nationalIdMasked,
            disclosure: p.disclosure.converted(),
            severity: p.severity.converted(), partyMember: p.partyMember, status: p.status.converted(),
            bedId: p.bedId?.rawValue,
            bedCode: p.bedCode, admittedAt: p.admittedAt, dischargedAt: p.dischargedAt,
            dischargeReason: p.dischargeReason?.converted(), homeAddress: p.home?.homeAddress,
            committee: p.home?.committee, household: p.home?.household, needsCarer: p.home?.needsCarer,
            version: p.version)
    }
}

extension Components.Schemas.AdmissionInput {
    func admission() throws -> Admission {
        guard let born = CalendarDate(dateOfBirth) else {
            throw DomainError.invalid("dateOfBirth", "must be a date as YYYY-MM-DD")
        }
        return Admission(
            name: name, sex: sex.converted(), dateOfBirth: born, phone: phone, nationalId: nationalId,
            severity: severity.converted(), partyMember: partyMember ?? false, bedId: Bed.ID(rawValue: bedId),
            admittedAt: admittedAt,
            home: .given(
                homeAddress: homeAddress, committee: committee, household: household, needsCarer: needsCarer))
    }
}

extension Components.Schemas.TestResult {
    init(_ t: NucleicAcidTest) {
        self.init(
            id: t.id, patientId: t.patientId.rawValue, sampledAt: t.sampledAt, result: t.result.converted(),
            nGeneCt: t.nGeneCt, orf1abCt: t.orf1abCt, recordedAt: t.recordedAt)
    }
}

extension Components.Schemas.BedAssignment {
    init(_ a: BedAssignment) {
        self.init(
            id: a.id, patientId: a.patientId.rawValue, bedId: a.bedId.rawValue, bedCode: a.bedCode, from: a.from,
            until: a.until)
    }
}
