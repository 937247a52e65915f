import Foundation

/// Converts a Domain value into the spec's generated type of the same shape, through JSON.
///
/// The spec's schemas name their fields as the Domain types do and share their enum values, so
/// one encode and decode replaces a hand-written mapping per type; a field the two disagree on
/// fails loudly here rather than going missing.
enum JSONBridge {
    static func convert<Source: Encodable, Target: Decodable>(_ value: Source, to: Target.Type = Target.self) throws
        -> Target
    {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.timeIntervalSince1970)
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try decoder.decode(Target.self, from: encoder.encode(value))
    }
}
