import CordonAPI
import Domain
import Foundation
import OpenAPIRuntime
import Services

extension APIImplementation {
    func getReleaseCriteria(_ input: Operations.GetReleaseCriteria.Input) async throws
        -> Operations.GetReleaseCriteria.Output
    {
        let criteria = try await services.releases.criteria(
            siteId: try Parse.id(input.path.siteId, "siteId"), actor: actor)
        return .ok(.init(body: .json(.init(criteria))))
    }

    func setReleaseCriteria(_ input: Operations.SetReleaseCriteria.Input) async throws
        -> Operations.SetReleaseCriteria.Output
    {
        let body = try input.body.payload
        let criteria = try await services.releases.setCriteria(
            siteId: try Parse.id(input.path.siteId, "siteId"), body.criteria, actor: actor)
        return .ok(.init(body: .json(.init(criteria))))
    }

    func getReleaseList(_ input: Operations.GetReleaseList.Input) async throws -> Operations.GetReleaseList.Output {
        let list = try await services.releases.list(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            zoneId: try input.query.zoneId.map { try Parse.id($0, "zoneId") }, actor: actor)
        return .ok(.init(body: .json(.init(criteria: list.criteria, candidates: list.candidates))))
    }

    func signOffRelease(_ input: Operations.SignOffRelease.Input) async throws -> Operations.SignOffRelease.Output {
        let body = try input.body.payload
        let siteId: Site.ID = try Parse.id(input.path.siteId, "siteId")
        let signed = try await services.releases.signOff(
            siteId: siteId, patientIds: body.patientIds.map(Patient.ID.init(rawValue:)),
            symptomsImproved: body.symptomsImproved, note: body.note, actor: actor)
        let criteria = try await services.releases.criteria(siteId: siteId, actor: actor)
        return .created(.init(body: .json(.init(criteria: criteria, candidates: signed))))
    }

    func withdrawReleaseSignOff(_ input: Operations.WithdrawReleaseSignOff.Input) async throws
        -> Operations.WithdrawReleaseSignOff.Output
    {
        let body = try input.body.payload
        try await services.releases.withdraw(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            patientId: try Parse.id(input.path.patientId, "patientId"),
            reason: body.reason, actor: actor)
        return .noContent(.init())
    }

    func releasePatients(_ input: Operations.ReleasePatients.Input) async throws -> Operations.ReleasePatients.Output {
        let body = try input.body.payload
        let batch = try await services.releases.release(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            patientIds: body.patientIds.map(Patient.ID.init(rawValue:)),
            actor: actor)
        return .ok(.init(body: .json(.init(batch))))
    }
}

extension APIImplementation {
    func getReleaseCertificate(_ input: Operations.GetReleaseCertificate.Input) async throws
        -> Operations.GetReleaseCertificate.Output
    {
        let issued = try await services.certificates.certificate(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            patientId: try Parse.id(input.path.patientId, "patientId"), actor: actor)
        return .ok(.init(body: .json(.init(issued))))
    }

    func getReleaseCertificatePDF(_ input: Operations.GetReleaseCertificatePDF.Input) async throws
        -> Operations.GetReleaseCertificatePDF.Output
    {
        let pdf = try await services.certificates.pdf(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            patientIds: [try Parse.id(input.path.patientId, "patientId")], actor: actor)
        return .ok(.init(body: .pdf(HTTPBody(pdf))))
    }

    func revokeReleaseCertificate(_ input: Operations.RevokeReleaseCertificate.Input) async throws
        -> Operations.RevokeReleaseCertificate.Output
    {
        let body = try input.body.payload
        let issued = try await services.certificates.revoke(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            patientId: try Parse.id(input.path.patientId, "patientId"), reason: body.reason, actor: actor)
        return .ok(.init(body: .json(.init(issued))))
    }

    func printReleaseCertificates(_ input: Operations.PrintReleaseCertificates.Input) async throws
        -> Operations.PrintReleaseCertificates.Output
    {
        let body = try input.body.payload
        let pdf = try await services.certificates.pdf(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            patientIds: body.patientIds.map(Patient.ID.init(rawValue:)), actor: actor)
        return .ok(.init(body: .pdf(HTTPBody(pdf))))
    }
}
