import CordonApp
import Domain
import Foundation
import HTTPAPI
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Services
import Settings
import TestSupport
import Testing

/// A response as the tests read it: status, headers, and the body as JSON.
struct APIResponse: @unchecked Sendable {
    var status: Int
    var headers: HTTPFields
    var text: String

    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }
    var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
    /// The fields a problem+json body names.
    var problemFields: [String] { (json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String } }
    func header(_ name: String) -> String? { headers[HTTPField.Name(name)!] }
}

/// Runs tests against the real router and a fresh database with the demo fixture.
struct APIHarness {
    /// The request deadline of the in-process tests: as long as the tests' database calls (60 s),
    /// not production's 15 s, so that a machine running every suite at once, a browser among
    /// them, does not turn a slow request into a 503.
    static let limits = RequestLimits(requestSeconds: 60)

    let client: any TestClientProtocol
    let fixture: DemoFixture
    let db: TestDatabase

    static func run(_ body: @escaping @Sendable (APIHarness) async throws -> Void) async throws {
        try await TestDatabase.withMigrated { db in
            let services = db.services()
            let fixture = try await DemoFixture.make(services)
            let app = try APIHarness.application(services)
            try await app.test(.router) { client in
                try await body(APIHarness(client: client, fixture: fixture, db: db))
            }
        }
    }

    /// The HTTP application as `cordon serve` builds it (`buildApplication`), over the test's
    /// services, with the tests' request deadline and `environment` over the defaults.
    static func application(_ services: CordonServices, environment: [String: String] = [:]) throws
        -> Application<RouterResponder<CordonRequestContext>>
    {
        let configuration = try CordonConfiguration.load(
            environment: ["REQUEST_TIMEOUT_SECONDS": String(Int(limits.requestSeconds))].merging(environment) { $1 })
        return try buildApplication(
            configuration: configuration, services: services, logger: Logger(label: "Hummingbird")
        )
        .http
    }

    var siteA: Site.ID { fixture.siteA.id }
    var siteB: Site.ID { fixture.siteB.id }

    @discardableResult
    func call(
        _ method: HTTPRequest.Method, _ path: String, as user: String? = "admin", body: String? = nil,
        headers extra: [String: String] = [:]
    ) async throws -> APIResponse {
        var headers = HTTPFields()
        if let user { headers[.authorization] = "Bearer \(fixture.tokens[user] ?? user)" }
        if body != nil { headers[.contentType] = "application/json" }
        for (name, value) in extra { headers[HTTPField.Name(name)!] = value }
        let response = try await client.execute(
            uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }
        ) { response in
            APIResponse(
                status: Int(response.status.code), headers: response.headers, text: String(buffer: response.body))
        }
        // Whatever a test sends, the answer's status must be one the spec documents for the
        // operation, since integrators generate their clients from it.
        if let operation = OpenAPISpec.shared.operation(method: method.rawValue, path: path) {
            #expect(
                operation.statuses.contains(response.status),
                "\(operation.id) answered \(response.status), which openapi.yaml does not document for it: \(response.text.prefix(200))"
            )
        }
        return response
    }

    /// An admission body for a valid patient in `bedId`.
    func admission(bed bedId: Bed.ID, sequence: Int, name: String = "测试患者") -> String {
        """
        {"name":"\(name)","sex":"female","dateOfBirth":"1969-09-02","nationalId":"\(testNationalID(sequence: sequence))",
         "severity":"mild","partyMember":true,"bedId":\(bedId),"phone":"13900000000"}
        """
    }

    func admit(bed bedId: Bed.ID, sequence: Int, as user: String = "clinicianA") async throws -> [String: Any] {
        let response = try await call(
            .post, "/sites/\(siteA)/patients", as: user, body: admission(bed: bedId, sequence: sequence))
        // A refused admission ends the test here, rather than in a crash on its missing id.
        try #require(response.status == 201, "\(response.text)")
        return response.json
    }
}
