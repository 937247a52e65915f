import Foundation
import Logging

/// Log lines as JSON objects, one a line (`LOG_FORMAT=json`), for a log shipper: `time`, `level`,
/// `message`, `logger`, then every metadata field by name (`request_id`, `trace_id`,
/// `operation`, `status`, `duration_ms` on a request's line).
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    /// One writer for every handler, so that lines from concurrent requests never interleave.
    private static let output = LineWriter()

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(
        level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
        file: String, function: String, line: UInt
    ) {
        var fields = metadata
        if let provided = metadataProvider?.get() { fields.merge(provided) { $1 } }
        if let explicit { fields.merge(explicit) { $1 } }
        var object: [String: Any] = fields.mapValues(Self.plain)
        object["time"] = Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true))
        object["level"] = level.rawValue
        object["message"] = message.description
        object["logger"] = label
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        Self.output.write(data)
    }

    /// A metadata value as JSON holds it: text, a list, or an object.
    static func plain(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let item): item.description
        case .array(let items): items.map(plain)
        case .dictionary(let fields): fields.mapValues(plain)
        }
    }
}

/// Writes whole lines to standard output under a lock.
final class LineWriter: @unchecked Sendable {
    private let lock = NSLock()

    func write(_ data: Data) {
        lock.lock()
        defer { lock.unlock() }
        FileHandle.standardOutput.write(data + Data([0x0A]))
    }
}
