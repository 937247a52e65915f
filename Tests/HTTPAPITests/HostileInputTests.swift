import Domain
import Foundation
import HTTPTypes
import TestSupport
import Testing

/// Every write of the spec, with a body built from its schema, and every integer in it replaced
/// in turn by a number chosen to break arithmetic. The server must answer each with a documented
/// status below 500 (a trap would end this very process), and a caller with no grant at the
/// site must learn nothing from the values: it gets 403 or 404 before anything is validated.
@Suite("HTTP: hostile numbers in every write")
struct HostileInputTests {
    static let hostile: [Int64] = [Int64.min, Int64.max, -1, 0, 9_007_199_254_740_993]

    @Test("the spec is read: operations, their statuses and bodies")
    func specIsRead() {
        let spec = OpenAPISpec.shared
        #expect(spec.operation(method: "GET", path: "/sites/1")?.id == "getSite")
        #expect(spec.operation(method: "POST", path: "/sites/1/bed-ranges")?.bodySchema != nil)
        #expect(
            spec.operation(method: "GET", path: "/sites/1/patients/2")?.statuses.isSuperset(of: [
                200, 400, 401, 403, 404, 503,
            ]) == true)
        #expect(spec.operations.count > 100)
    }

    @Test("Int64.min, Int64.max, -1, 0 and 2^53+1 in every integer field of every write: never a 5xx, never a crash")
    func everyIntegerField() async throws {
        try await APIHarness.run { api in
            let writes = OpenAPISpec.shared.operations.filter {
                ["POST", "PUT", "PATCH"].contains($0.method) && $0.bodySchema != nil
            }
            var sent = 0
            for op in writes {
                let base = BodyBuilder(spec: .shared).value(for: op.bodySchema!)
                for fieldPath in BodyBuilder.integerPaths(in: base) {
                    for number in Self.hostile {
                        let body = BodyBuilder.replacing(fieldPath, in: base, with: number)
                        let response = try await api.call(
                            Self.method(op), Self.path(op, site: api.siteA), as: "admin",
                            body: BodyBuilder.json(body), headers: ["If-Match": "\"1\""])
                        sent += 1
                        #expect(
                            response.status < 500,
                            "\(op.id) \(fieldPath.joined(separator: ".")) = \(number): \(response.text.prefix(300))")
                        if number == Int64.min || number == Int64.max {
                            #expect(
                                response.status >= 400,
                                "\(op.id) accepted \(fieldPath.joined(separator: ".")) = \(number)")
                        }
                    }
                }
            }
            #expect(sent > 300, "\(sent) requests")
        }
    }

    @Test(
        "a string one character past its maxLength, or an array one past its maxItems, is refused in every write: the spec's limits are the server's"
    )
    func declaredLimits() async throws {
        try await APIHarness.run { api in
            var checked = 0
            for op in OpenAPISpec.shared.operations
            where ["POST", "PUT", "PATCH"].contains(op.method) && op.bodySchema != nil {
                let builder = BodyBuilder(spec: .shared)
                let base = builder.value(for: op.bodySchema!)
                for (fieldPath, oversized) in builder.oversizedValues(for: op.bodySchema!) {
                    let body = BodyBuilder.replacing(fieldPath, in: base, with: oversized)
                    let response = try await api.call(
                        Self.method(op), Self.path(op, site: api.siteA), as: "admin",
                        body: BodyBuilder.json(body), headers: ["If-Match": "\"1\""])
                    checked += 1
                    #expect(
                        (400..<500).contains(response.status),
                        "\(op.id) \(fieldPath.joined(separator: ".")) past its limit: \(response.status) \(response.text.prefix(200))"
                    )
                }
            }
            #expect(checked > 80, "\(checked) fields")
        }
    }

    @Test(
        "a caller with no grant at the site gets 403 or 404 whatever the numbers: validation comes after the role check"
    )
    func outsidersLearnNothing() async throws {
        try await APIHarness.run { api in
            let writes = OpenAPISpec.shared.operations.filter {
                ["POST", "PUT", "PATCH"].contains($0.method) && $0.bodySchema != nil
                    && $0.path.hasPrefix("/sites/{siteId}")
            }
            for op in writes {
                let base = BodyBuilder(spec: .shared).value(for: op.bodySchema!)
                for fieldPath in BodyBuilder.integerPaths(in: base) {
                    let body = BodyBuilder.replacing(fieldPath, in: base, with: Int64.min)
                    let response = try await api.call(
                        Self.method(op), Self.path(op, site: api.siteA), as: "clinicianB",
                        body: BodyBuilder.json(body), headers: ["If-Match": "\"1\""])
                    #expect(
                        [403, 404].contains(response.status),
                        "\(op.id) \(fieldPath.joined(separator: ".")) answered an outsider \(response.status): \(response.text.prefix(200))"
                    )
                }
            }
            #expect(try await api.db.count("SELECT count(*)::int FROM audit_log WHERE actor_name = 'clinicianb'") == 0)
        }
    }

    static func method(_ op: OpenAPISpec.Operation) -> HTTPRequest.Method {
        HTTPRequest.Method(op.method) ?? .post
    }

    /// The operation's path at `site`, every other id 1.
    static func path(_ op: OpenAPISpec.Operation, site: Site.ID) -> String {
        op.segments.map { segment -> String in
            if segment == "{siteId}" { return String(site.rawValue) }
            if segment == "{eventId}" { return UUID().uuidString.lowercased() }
            if segment == "{secret}" { return "cal_unknown" }
            return segment.hasPrefix("{") ? "1" : String(segment)
        }.reduce("") { $0 + "/" + $1 }
    }
}

/// Builds a plausible JSON value for a schema of the spec, and rewrites one field of it.
struct BodyBuilder {
    let spec: OpenAPISpec

    func value(for schema: [String: Any], name: String = "") -> Any {
        let schema = spec.resolved(schema)
        if let values = schema["enum"] as? [Any], let first = values.first { return first }
        switch schema["type"] as? String {
        case "object":
            var out: [String: Any] = [:]
            for (key, property) in schema["properties"] as? [String: Any] ?? [:] {
                out[key] = value(for: property as? [String: Any] ?? [:], name: key)
            }
            return out
        case "array":
            return [value(for: schema["items"] as? [String: Any] ?? [:], name: name)]
        case "integer":
            return Int64(1)
        case "number":
            return 1.0
        case "boolean":
            return false
        default:
            switch schema["format"] as? String {
            case "date": return Soon.day(5)
            case "date-time": return Soon.instant(5, hour: 8)
            case "uuid": return UUID().uuidString.lowercased()
            default: return name.lowercased().contains("time") ? "08:00" : "AB1"
            }
        }
    }

    /// The paths (keys, or "0" for an array's element) of every integer in `value`.
    static func integerPaths(in value: Any, prefix: [String] = []) -> [[String]] {
        switch value {
        case let object as [String: Any]:
            return object.keys.sorted().flatMap { integerPaths(in: object[$0]!, prefix: prefix + [$0]) }
        case let array as [Any]:
            return array.indices.flatMap { integerPaths(in: array[$0], prefix: prefix + [String($0)]) }
        case is Int64:
            return [prefix]
        default:
            return []
        }
    }

    static func replacing(_ path: [String], in value: Any, with replacement: Any) -> Any {
        guard let head = path.first else { return replacement }
        if var object = value as? [String: Any] {
            object[head] = replacing(Array(path.dropFirst()), in: object[head] ?? [String: Any](), with: replacement)
            return object
        }
        if var array = value as? [Any], let index = Int(head), array.indices.contains(index) {
            array[index] = replacing(Array(path.dropFirst()), in: array[index], with: replacement)
            return array
        }
        return value
    }

    /// For each string with a `maxLength` and each array with a `maxItems` in `schema` (nested
    /// objects and arrays' first elements included), its path and a value one past the limit.
    func oversizedValues(for schema: [String: Any], prefix: [String] = []) -> [([String], Any)] {
        let schema = spec.resolved(schema)
        var out: [([String], Any)] = []
        if let limit = schema["maxLength"] as? Int {
            out.append((prefix, String(repeating: "x", count: limit + 1)))
        }
        if let limit = schema["maxItems"] as? Int, let items = schema["items"] as? [String: Any] {
            let element = value(for: items)
            out.append((prefix, Array(repeating: element, count: limit + 1)))
        }
        if schema["type"] as? String == "object" {
            for (key, property) in (schema["properties"] as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }) {
                out += oversizedValues(for: property as? [String: Any] ?? [:], prefix: prefix + [key])
            }
        }
        if schema["type"] as? String == "array", let items = schema["items"] as? [String: Any] {
            out += oversizedValues(for: items, prefix: prefix + ["0"])
        }
        return out
    }

    static func json(_ value: Any) -> String {
        String(
            decoding: (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data("{}".utf8),
            as: UTF8.self)
    }
}
