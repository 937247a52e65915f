import Domain
import Foundation
import HTTPTypes
import TestSupport
import Testing

/// Date-times as clients send them: JavaScript's `toISOString()` (`.000Z`), Python's
/// `isoformat()` (microseconds), an offset instead of `Z`.
@Suite("HTTP: date-times with a fraction of a second, in every operation that takes one")
struct DateTimeInputTests {
    static let fractions = ["2026-12-08T05:00:00.123456Z", "2026-12-08T05:00:00.5Z", "2026-12-08T13:00:00.000+08:00"]

    @Test("a test result sampled at a time with a fraction is recorded; a malformed time names sampledAt")
    func testResult() async throws {
        try await APIHarness.run { api in
            let admitted = try await api.call(
                .post, "/sites/\(api.siteA)/patients", as: "clinicianA",
                body: api.admission(bed: api.fixture.bedsA[0].id, sequence: 5))
            let path = "/sites/\(api.siteA)/patients/\(admitted.json["id"] as! Int)/test-results"
            // Yesterday's swabs, as three clients write the time.
            let yesterday = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-86_400)).prefix(10)
            for sampled in [
                "\(yesterday)T05:00:00.123456Z", "\(yesterday)T06:00:00.5Z", "\(yesterday)T15:00:00.000+08:00",
            ] {
                let added = try await api.call(
                    .post, path, as: "clinicianA", body: #"{"sampledAt":"\#(sampled)","result":"negative"}"#)
                #expect(added.status == 201, "\(sampled): \(added.text)")
            }
            for malformed in ["2022-04-08 05:00:00", "2022-04-08T05:00:00", "tomorrow", "2022-04-08T05:00:00.Z"] {
                let refused = try await api.call(
                    .post, path, as: "clinicianA", body: #"{"sampledAt":"\#(malformed)","result":"negative"}"#)
                #expect(
                    refused.status == 400 && refused.problemFields == ["sampledAt"], "\(malformed): \(refused.text)")
            }
        }
    }

    @Test("a transfer list's times take fractions; a malformed one inside the list is named by its path")
    func transferList() async throws {
        try await APIHarness.run { api in
            let site = "/sites/\(api.siteA)/intake-batches"
            func list(_ expected: String, _ second: String) -> String {
                """
                {"reference":"JS-0412-09","expectedAt":"\(expected)","persons":[
                \(IntakeAPITests.person(1, name: "张三", sex: "male")),
                {"name":"李四","sex":"female","dateOfBirth":"1969-09-02","nationalId":"\(testNationalID(sequence: 2))","expectedAt":"\(second)"}]}
                """
            }
            let refused = try await api.call(
                .post, site, as: "clinicianA", body: list("2026-12-08T05:00:00.123Z", "soon"))
            #expect(refused.status == 400 && refused.problemFields == ["persons[1].expectedAt"], "\(refused.text)")
            let created = try await api.call(
                .post, site, as: "clinicianA", body: list("2026-12-08T05:00:00.123Z", "2026-12-08T05:30:00.250000Z"))
            #expect(created.status == 201, "\(created.text)")
            #expect(created.json["expectedAt"] as? String == "2026-12-08T05:00:00Z")
            // A query parameter too: the CSV list's expectedAt.
            let csv = "name,sex,date_of_birth,national_id\n王五,男,1969-09-02,\(testNationalID(sequence: 3))\n"
            let imported = try await api.call(
                .post, site + "/import?reference=JS-0412-10&expectedAt=2026-12-08T06:00:00.5Z", as: "clinicianA",
                body: csv, headers: ["Content-Type": "text/csv"])
            #expect(imported.status == 201, "\(imported.text)")
        }
    }

    @Test("every date-time query parameter in the spec takes a fraction, and a malformed one is named")
    func everyQueryParameter() async throws {
        try await APIHarness.run { api in
            let operations = OpenAPISpec.shared.operations.filter { !$0.dateTimeQuery.isEmpty }
            #expect(operations.count >= 3, "the spec's date-time query parameters: \(operations.map(\.id))")
            for operation in operations {
                var path = operation.path.replacingOccurrences(of: "{siteId}", with: "\(api.siteA)")
                for name in operation.pathParameters where name != "siteId" {
                    path = path.replacingOccurrences(of: "{\(name)}", with: "1")
                }
                let required = operation.id == "importTransferListCSV" ? "reference=R-1&" : ""
                for (name, _) in operation.dateTimeQuery {
                    let method = HTTPRequest.Method(rawValue: operation.method)!
                    for fraction in Self.fractions {
                        let answer = try await api.call(
                            method, "\(path)?\(required)\(name)=\(fraction.replacingOccurrences(of: "+", with: "%2B"))")
                        #expect(
                            !(answer.status == 400 && answer.problemFields.contains(name)),
                            "\(operation.id) refused \(name)=\(fraction): \(answer.text)")
                    }
                    let malformed = try await api.call(method, "\(path)?\(required)\(name)=2026-12-08%2005:00")
                    #expect(
                        malformed.status == 400 && malformed.problemFields == [name],
                        "\(operation.id) with a malformed \(name): \(malformed.text)")
                }
            }
        }
    }

    @Test("every date-time field of a request body in the spec takes a fraction")
    func everyBodyField() async throws {
        try await APIHarness.run { api in
            let spec = OpenAPISpec.shared
            var checked = 0
            for operation in spec.operations {
                guard let schema = operation.bodySchema else { continue }
                let fields = spec.dateTimeFields(schema)
                guard !fields.isEmpty else { continue }
                var path = operation.path.replacingOccurrences(of: "{siteId}", with: "\(api.siteA)")
                for name in operation.pathParameters where name != "siteId" {
                    path = path.replacingOccurrences(of: "{\(name)}", with: "1")
                }
                // A body holding only the date-times: whatever else it lacks, no date-time is the fault.
                var body: [String: Any] = [:]
                for field in fields { Self.set(&body, field, "2026-12-08T05:00:00.123456Z") }
                let text = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
                let answer = try await api.call(
                    HTTPRequest.Method(rawValue: operation.method)!, path, body: text, headers: ["If-Match": "\"1\""])
                #expect(
                    !(answer.status == 400 && answer.problemFields.contains { fields.contains($0) }),
                    "\(operation.id) refused a date-time with a fraction: \(answer.text)")
                checked += 1
            }
            #expect(checked >= 10, "operations with date-times in their bodies: \(checked)")
        }
    }

    /// Sets `value` at `path` (`persons[0].expectedAt`) in a JSON object, making what is missing.
    static func set(_ object: inout [String: Any], _ path: String, _ value: String) {
        var parts = path.split(separator: ".", maxSplits: 1).map(String.init)
        let head = parts.removeFirst()
        let isArray = head.hasSuffix("[0]")
        let key = isArray ? String(head.dropLast(3)) : head
        if parts.isEmpty {
            object[key] = isArray ? [value] : value
            return
        }
        var inner = (isArray ? (object[key] as? [[String: Any]])?.first : object[key] as? [String: Any]) ?? [:]
        set(&inner, parts[0], value)
        object[key] = isArray ? [inner] : inner
    }
}
