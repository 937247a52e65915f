import CordonAPI
import Domain
import Foundation
import Hummingbird
import OpenAPIRuntime
import Services

extension APIImplementation {
    func getFhirServiceRequest(_ input: Operations.GetFhirServiceRequest.Input) async throws
        -> Operations.GetFhirServiceRequest.Output
    {
        let resource = try await services.referrals.fhirServiceRequest(
            id: try Parse.id(input.path.id, "id"), actor: actor)
        return .ok(.init(body: .applicationFhirJson(try .init(fhir: resource))))
    }

    func getFhirTask(_ input: Operations.GetFhirTask.Input) async throws -> Operations.GetFhirTask.Output {
        let resource = try await services.referrals.fhirTask(id: try Parse.id(input.path.id, "id"), actor: actor)
        return .ok(.init(body: .applicationFhirJson(try .init(fhir: resource))))
    }

    func searchFhirTasks(_ input: Operations.SearchFhirTasks.Input) async throws -> Operations.SearchFhirTasks.Output {
        let bundle = try await services.referrals.fhirTasks(
            owner: input.query.owner, status: input.query.status, actor: actor)
        return .ok(.init(body: .applicationFhirJson(try .init(fhir: bundle))))
    }
}

extension Components.Schemas.FhirResource {
    /// A FHIR resource as the document it is: the spec leaves its shape to FHIR (free-form JSON),
    /// so it is written as FHIR's own JSON and read into the document container.
    init(fhir resource: some Encodable) throws {
        self = try JSONDecoder().decode(Self.self, from: JSONEncoder().encode(resource))
    }
}

extension ProblemDetails {
    /// The same error as a FHIR R4 OperationOutcome, for the `/fhir` paths.
    func operationOutcome() -> Response {
        let code =
            switch status {
            case 400, 422: "invalid"
            case 401: "login"
            case 403: "forbidden"
            case 404: "not-found"
            case 409, 412: "conflict"
            case 429: "throttled"
            default: "exception"
            }
        var issue: [String: Any] = ["severity": "error", "code": code, "diagnostics": detail ?? title]
        if let errors, !errors.isEmpty { issue["expression"] = errors.map(\.field) }
        let body: [String: Any] = ["resourceType": "OperationOutcome", "issue": [issue]]
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        var fields = headers
        fields[.contentType] = "application/fhir+json"
        return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
