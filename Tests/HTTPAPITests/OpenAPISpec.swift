import Foundation
import Yams

/// The served spec, read as integrators read it: every operation with its method, path, the
/// statuses it documents and the schema of its JSON body. The tests check what the server
/// answers against it.
struct OpenAPISpec: @unchecked Sendable {
    struct Operation: @unchecked Sendable {
        var id: String
        var method: String
        var path: String
        var segments: [Substring]
        var statuses: Set<Int>
        /// The JSON body's schema, references resolved lazily through `spec`.
        var bodySchema: [String: Any]?
        /// Path parameter names, in order.
        var pathParameters: [String]
        /// Query parameters whose schema is a date-time, and whether each is required.
        var dateTimeQuery: [(name: String, required: Bool)]
        var security: Bool
    }

    let operations: [Operation]
    let schemas: [String: Any]

    static let shared: OpenAPISpec = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../Sources/CordonAPI/openapi.yaml"
        )
        .standardized
        // The tests cannot run without the spec they check against: fail loudly, naming it.
        guard let text = try? String(contentsOf: url, encoding: .utf8),
            let root = try? Yams.load(yaml: text) as? [String: Any]
        else {
            fatalError("cannot read \(url.path)")
        }
        return OpenAPISpec(root)
    }()

    init(_ root: [String: Any]) {
        let components = root["components"] as? [String: Any] ?? [:]
        schemas = components["schemas"] as? [String: Any] ?? [:]
        let parameters = components["parameters"] as? [String: Any] ?? [:]
        func resolve(_ p: Any) -> [String: Any] {
            guard let p = p as? [String: Any] else { return [:] }
            if let ref = p["$ref"] as? String {
                return parameters[String(ref.split(separator: "/").last!)] as? [String: Any] ?? [:]
            }
            return p
        }
        var operations: [Operation] = []
        for (path, item) in root["paths"] as? [String: Any] ?? [:] {
            guard let item = item as? [String: Any] else { continue }
            let shared = (item["parameters"] as? [Any] ?? []).map(resolve)
            for (method, value) in item where method != "parameters" {
                guard let op = value as? [String: Any], let id = op["operationId"] as? String else { continue }
                let params = shared + (op["parameters"] as? [Any] ?? []).map(resolve)
                let statuses = Set((op["responses"] as? [AnyHashable: Any] ?? [:]).keys.compactMap { Int("\($0)") })
                let content =
                    ((op["requestBody"] as? [String: Any])?["content"] as? [String: Any])?["application/json"]
                    as? [String: Any]
                operations.append(
                    Operation(
                        id: id, method: method.uppercased(), path: path, segments: path.split(separator: "/"),
                        statuses: statuses,
                        bodySchema: content?["schema"] as? [String: Any],
                        pathParameters: params.filter { $0["in"] as? String == "path" }.compactMap {
                            $0["name"] as? String
                        },
                        dateTimeQuery: params.filter {
                            $0["in"] as? String == "query"
                                && ($0["schema"] as? [String: Any])?["format"] as? String == "date-time"
                        }.compactMap { p in (p["name"] as? String).map { ($0, p["required"] as? Bool ?? false) } },
                        security: (op["security"] as? [Any])?.isEmpty != true))
            }
        }
        self.operations = operations.sorted { ($0.path, $0.method) < ($1.path, $1.method) }
    }

    /// The operation a request is routed to, as the router matches it (literal segments first).
    func operation(method: String, path: String) -> Operation? {
        let parts = path.split(separator: "?")[0].split(separator: "/")
        let matches = operations.filter { op in
            op.method == method && op.segments.count == parts.count
                && zip(op.segments, parts).allSatisfy { template, part in template.hasPrefix("{") || template == part }
        }
        return matches.min {
            $0.segments.filter { $0.hasPrefix("{") }.count < $1.segments.filter { $0.hasPrefix("{") }.count
        }
    }

    /// The paths (`persons[0].expectedAt`) of every date-time field a JSON body of `schema` may carry.
    func dateTimeFields(_ schema: [String: Any], _ path: String = "", depth: Int = 0) -> [String] {
        let schema = resolved(schema)
        guard depth < 8 else { return [] }
        if schema["format"] as? String == "date-time" { return [path] }
        var found: [String] = []
        for (name, property) in schema["properties"] as? [String: Any] ?? [:] {
            guard let property = property as? [String: Any] else { continue }
            found += dateTimeFields(property, path.isEmpty ? name : "\(path).\(name)", depth: depth + 1)
        }
        if let items = schema["items"] as? [String: Any] {
            found += dateTimeFields(items, path + "[0]", depth: depth + 1)
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            for part in schema[key] as? [[String: Any]] ?? [] { found += dateTimeFields(part, path, depth: depth + 1) }
        }
        return found.sorted()
    }

    /// A schema with its `$ref` followed.
    func resolved(_ schema: [String: Any]) -> [String: Any] {
        if let ref = schema["$ref"] as? String {
            return schemas[String(ref.split(separator: "/").last!)] as? [String: Any] ?? [:]
        }
        return schema
    }
}
