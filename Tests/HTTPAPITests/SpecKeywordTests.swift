import Foundation
import Testing
import Yams

/// A description written inside `{...}` with a comma in it becomes a stray key with no value:
/// YAML splits the flow mapping at the comma, and integrators read half a sentence.
@Suite("openapi.yaml: every key of every schema is an OpenAPI keyword")
struct SpecKeywordTests {
    static let keywords: Set<String> = [
        "type", "format", "description", "title", "enum", "items", "properties", "required",
        "additionalProperties", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength",
        "maxLength", "pattern", "minItems", "maxItems", "uniqueItems", "nullable", "default", "example", "examples",
        "$ref", "allOf", "oneOf", "anyOf", "not", "readOnly", "writeOnly", "deprecated", "discriminator", "const",
        "multipleOf", "minProperties", "maxProperties", "xml", "externalDocs",
    ]

    /// `schema`'s keys that are not keywords, with where they stand.
    static func strays(_ schema: Any?, _ path: String) -> [String] {
        guard let schema = schema as? [String: Any] else { return [] }
        var found = schema.keys.filter { !keywords.contains($0) && !$0.hasPrefix("x-") }.map { "\(path): '\($0)'" }
        for (name, property) in schema["properties"] as? [String: Any] ?? [:] {
            found += strays(property, "\(path).\(name)")
        }
        for key in ["items", "additionalProperties", "not"] { found += strays(schema[key], "\(path).\(key)") }
        for key in ["allOf", "oneOf", "anyOf"] {
            for (index, part) in (schema[key] as? [Any] ?? []).enumerated() {
                found += strays(part, "\(path).\(key)[\(index)]")
            }
        }
        return found
    }

    @Test("no schema, parameter, body or response carries a key OpenAPI does not define")
    func noStrayKeys() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../Sources/CordonAPI/openapi.yaml"
        ).standardized
        let root = try #require(try Yams.load(yaml: try String(contentsOf: url, encoding: .utf8)) as? [String: Any])
        let components = root["components"] as? [String: Any] ?? [:]
        var found: [String] = []
        for (name, schema) in components["schemas"] as? [String: Any] ?? [:] { found += Self.strays(schema, name) }
        for (name, parameter) in components["parameters"] as? [String: Any] ?? [:] {
            found += Self.strays((parameter as? [String: Any])?["schema"], "parameter \(name)")
        }
        for (path, item) in root["paths"] as? [String: Any] ?? [:] {
            for (method, operation) in item as? [String: Any] ?? [:] {
                guard let operation = operation as? [String: Any] else { continue }
                for case let parameter as [String: Any] in operation["parameters"] as? [Any] ?? [] {
                    found += Self.strays(parameter["schema"], "\(method) \(path) \(parameter["name"] ?? "")")
                }
                let body = (operation["requestBody"] as? [String: Any])?["content"] as? [String: Any] ?? [:]
                for (type, content) in body {
                    found += Self.strays((content as? [String: Any])?["schema"], "\(method) \(path) \(type)")
                }
                for (status, response) in operation["responses"] as? [AnyHashable: Any] ?? [:] {
                    let content = (response as? [String: Any])?["content"] as? [String: Any] ?? [:]
                    for (type, media) in content {
                        found += Self.strays(
                            (media as? [String: Any])?["schema"], "\(method) \(path) \(status) \(type)")
                    }
                }
            }
        }
        #expect(found.isEmpty, "keys that are not OpenAPI keywords: \(found.sorted())")
    }
}
