import Domain
import NIOCore
import PostgresNIO

/// A Domain value stored as text (an enum's raw value, a `YYYY-MM-DD` day): read straight into
/// its type. A value the code does not know, written by a newer version or by hand, fails the
/// read with PostgresNIO's decoding error, which names the column, the type and the value,
/// instead of stopping the process.
protocol StoredAsText: PostgresDecodable {
    init?(storedText: String)
}

extension StoredAsText {
    public init<D: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat,
        context: PostgresDecodingContext<D>
    ) throws {
        let text = try String(from: &buffer, type: type, format: format, context: context)
        guard let value = Self(storedText: text) else { throw PostgresDecodingError.Code.failure }
        self = value
    }
}

/// A stored value its type has no case for (an element of a text array).
public struct UnknownStoredValue: Error, CustomStringConvertible {
    public var type: String
    public var text: String
    public var description: String { "'\(text)' is not a \(type)" }
}

/// An enum stored as its raw value.
protocol StoredEnum: StoredAsText, RawRepresentable where RawValue == String {}

extension StoredEnum {
    init?(storedText: String) { self.init(rawValue: storedText) }
}

extension RawRepresentable where RawValue == String {
    /// The case a stored text names (an element of a text array, say), or the error naming it.
    static func stored(_ text: String) throws -> Self {
        guard let value = Self(rawValue: text) else { throw UnknownStoredValue(type: "\(Self.self)", text: text) }
        return value
    }
}

extension CalendarDate: PostgresDecodable, StoredAsText {
    init?(storedText: String) { self.init(storedText) }
}

// Every enum a repository reads from a text column.
extension Sex: PostgresDecodable, StoredEnum {}
extension BedStatus: PostgresDecodable, StoredEnum {}
extension ArrivalStatus: PostgresDecodable, StoredEnum {}
extension ZoneKind: PostgresDecodable, StoredEnum {}
extension WebhookEventType: PostgresDecodable, StoredEnum {}
extension WebhookDeliveryStatus: PostgresDecodable, StoredEnum {}
extension DischargeReason: PostgresDecodable, StoredEnum {}
extension Severity: PostgresDecodable, StoredEnum {}
extension PatientStatus: PostgresDecodable, StoredEnum {}
extension TestResultKind: PostgresDecodable, StoredEnum {}
extension SpecimenStatus: PostgresDecodable, StoredEnum {}
extension ResultForm: PostgresDecodable, StoredEnum {}
extension ReviewReason: PostgresDecodable, StoredEnum {}
extension ReviewDecision: PostgresDecodable, StoredEnum {}
extension SiteKind: PostgresDecodable, StoredEnum {}
extension SiteStatus: PostgresDecodable, StoredEnum {}
extension AssignmentState: PostgresDecodable, StoredEnum {}
extension BranchStatus: PostgresDecodable, StoredEnum {}
extension Office: PostgresDecodable, StoredEnum {}
extension Profession: PostgresDecodable, StoredEnum {}
extension BranchTaskStatus: PostgresDecodable, StoredEnum {}
extension StockLocationKind: PostgresDecodable, StoredEnum {}
extension StockMovementKind: PostgresDecodable, StoredEnum {}
extension StaffStatus: PostgresDecodable, StoredEnum {}
extension TrainingKind: PostgresDecodable, StoredEnum {}
extension Urgency: PostgresDecodable, StoredEnum {}
extension ReferralStatus: PostgresDecodable, StoredEnum {}
extension CarePlanStatus: PostgresDecodable, StoredEnum {}
extension CareActivityKind: PostgresDecodable, StoredEnum {}
extension SecurityEventKind: PostgresDecodable, StoredEnum {}
extension Measure: PostgresDecodable, StoredEnum {}
extension Instrument: PostgresDecodable, StoredEnum {}
extension ReferralOutcome: PostgresDecodable, StoredEnum {}
