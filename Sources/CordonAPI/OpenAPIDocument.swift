import Foundation

/// The API as hospital systems integrate against it: `openapi.yaml`, from which this target's
/// types and server stubs are generated, shipped with the build so that `GET /openapi.yaml`
/// serves the very document the server implements.
public enum OpenAPIDocument {
    /// The document's bytes, or nil when the build lost it.
    public static func bytes() -> [UInt8]? {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
            let data = try? Data(contentsOf: url)
        else { return nil }
        return Array(data)
    }
}
