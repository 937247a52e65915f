import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Services

/// Answers `POST /fhir` from the request's bytes. The generated handler would first decode the
/// bundle into a free-form document and encode it back, which for a bundle of 1,000 results
/// (5,000 resources) costs seconds; here the bytes are parsed once. The spec still describes
/// the operation, and a request this middleware does not take (another content type) goes on
/// to the generated handler, which gives the spec's answer.
struct FHIRBundleMiddleware<Context: RequestContext>: RouterMiddleware {
    let results: LabResultService
    let limit: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.method == .post, request.uri.path == "/fhir",
            let type = request.headers[.contentType]?.lowercased(), type.hasPrefix("application/fhir+json")
        else { return try await next(request, context) }
        let body = try await request.body.collect(upTo: limit)
        let answer = try await results.takeFHIR(
            Data(buffer: body), laboratoryCode: request.uri.queryParameters["laboratory"].map(String.init),
            actor: try RequestScope.currentActor())
        var headers = HTTPFields()
        headers[.contentType] = "application/fhir+json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: answer)))
    }
}
