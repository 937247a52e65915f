import CordonAPI
import Domain
import Foundation
import OpenAPIRuntime
import Services

extension APIImplementation {
    func importLabResults(_ input: Operations.ImportLabResults.Input) async throws -> Operations.ImportLabResults.Output
    {
        guard case .csv(let body) = input.body else { throw DomainError.invalid("body", "must be text/csv") }
        let intake = try await services.labResults.importCSV(
            try await Self.labFile(body), laboratoryCode: input.query.laboratory, siteId: nil, actor: actor)
        return .ok(.init(body: .json(.init(intake))))
    }

    func importSiteLabResults(_ input: Operations.ImportSiteLabResults.Input) async throws
        -> Operations.ImportSiteLabResults.Output
    {
        guard case .csv(let body) = input.body else { throw DomainError.invalid("body", "must be text/csv") }
        let siteId: Site.ID = try Parse.id(input.path.siteId, "siteId")
        let intake = try await services.labResults.importCSV(
            try await Self.labFile(body), laboratoryCode: input.query.laboratory, siteId: siteId, actor: actor)
        return .ok(.init(body: .json(.init(intake))))
    }

    func takeHL7Results(_ input: Operations.TakeHL7Results.Input) async throws -> Operations.TakeHL7Results.Output {
        guard case .applicationHl7V2(let body) = input.body else {
            throw DomainError.invalid("body", "must be application/hl7-v2")
        }
        let ack = try await services.labResults.takeHL7(try await Self.labFile(body), actor: actor)
        return .ok(.init(body: .applicationHl7V2(HTTPBody(ack))))
    }

    func listResultReviews(_ input: Operations.ListResultReviews.Input) async throws
        -> Operations.ListResultReviews.Output
    {
        let (reviews, total) = try await services.labResults.waiting(
            siteId: try Parse.id(input.path.siteId, "siteId"), actor: actor)
        return .ok(.init(body: .json(.init(total: total, items: reviews.map(Components.Schemas.ResultReview.init)))))
    }

    func getResultReview(_ input: Operations.GetResultReview.Input) async throws -> Operations.GetResultReview.Output {
        let review = try await services.labResults.review(
            siteId: try Parse.id(input.path.siteId, "siteId"), id: try Parse.id(input.path.reviewId, "reviewId"),
            actor: actor)
        return .ok(.init(body: .json(.init(review))))
    }

    func matchResultReview(_ input: Operations.MatchResultReview.Input) async throws
        -> Operations.MatchResultReview.Output
    {
        let siteId: Site.ID = try Parse.id(input.path.siteId, "siteId")
        let id: ResultReview.ID = try Parse.id(input.path.reviewId, "reviewId")
        let body = try input.body.payload
        let review = try await services.labResults.match(
            siteId: siteId, id: id, accession: body.accession, reason: body.reason, actor: actor)
        return .ok(.init(body: .json(.init(review))))
    }

    func rejectResultReview(_ input: Operations.RejectResultReview.Input) async throws
        -> Operations.RejectResultReview.Output
    {
        let siteId: Site.ID = try Parse.id(input.path.siteId, "siteId")
        let id: ResultReview.ID = try Parse.id(input.path.reviewId, "reviewId")
        let body = try input.body.payload
        let review = try await services.labResults.reject(siteId: siteId, id: id, reason: body.reason, actor: actor)
        return .ok(.init(body: .json(.init(review))))
    }

    /// A laboratory's delivery as text; the request limit has already capped its size.
    static func labFile(_ body: HTTPBody) async throws -> String {
        do {
            return try await String(collecting: body, upTo: 64 << 20)
        } catch {
            throw DomainError.invalid("body", "a laboratory's delivery is at most 64 MiB")
        }
    }
}

extension APIImplementation {
    func takeFhirResults(_ input: Operations.TakeFhirResults.Input) async throws -> Operations.TakeFhirResults.Output {
        guard case .applicationFhirJson(let resource) = input.body else {
            throw DomainError.invalid("body", "must be application/fhir+json")
        }
        let response = try await services.labResults.takeFHIR(
            try JSONEncoder().encode(resource), laboratoryCode: input.query.laboratory, actor: actor)
        return .ok(
            .init(
                body: .applicationFhirJson(
                    try JSONDecoder().decode(Components.Schemas.FhirResource.self, from: response))))
    }
}

extension APIImplementation {
    func getResultWatch(_ input: Operations.GetResultWatch.Input) async throws -> Operations.GetResultWatch.Output {
        let watch = try await services.labResults.watch(siteId: try Parse.id(input.path.siteId, "siteId"), actor: actor)
        return .ok(
            .init(
                body: .json(
                    .init(
                        waitingForReview: watch.waitingForReview,
                        repositive: watch.repositive.map {
                            .init(patientId: $0.patientId.rawValue, name: $0.name, bedCode: $0.bedCode, since: $0.since)
                        }))))
    }
}
