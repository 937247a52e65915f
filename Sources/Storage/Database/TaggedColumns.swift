import NIOCore
import PostgresNIO
import Tagged

// A typed id (`Site.ID`, ...) is its raw value on the wire: bound and read as that value, alone
// or in an array. Neither Tagged nor PostgresNIO can declare this, so Storage does (retroactively).

// swift-format-ignore: AvoidRetroactiveConformances
extension Tagged: @retroactive PostgresThrowingDynamicTypeEncodable where RawValue: PostgresEncodable {}

// swift-format-ignore: AvoidRetroactiveConformances
extension Tagged: @retroactive PostgresEncodable where RawValue: PostgresEncodable {
    public static var psqlType: PostgresDataType { RawValue.psqlType }
    public static var psqlFormat: PostgresFormat { RawValue.psqlFormat }

    public func encode<E: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<E>)
        throws
    {
        try rawValue.encode(into: &byteBuffer, context: context)
    }
}

// swift-format-ignore: AvoidRetroactiveConformances
extension Tagged: @retroactive PostgresDynamicTypeEncodable where RawValue: PostgresNonThrowingEncodable {}

// swift-format-ignore: AvoidRetroactiveConformances
extension Tagged: @retroactive PostgresNonThrowingEncodable where RawValue: PostgresNonThrowingEncodable {
    public func encode<E: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<E>) {
        rawValue.encode(into: &byteBuffer, context: context)
    }
}

// swift-format-ignore: AvoidRetroactiveConformances
extension Tagged: @retroactive PostgresDecodable where RawValue: PostgresDecodable {
    public init<D: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat,
        context: PostgresDecodingContext<D>
    ) throws {
        self.init(rawValue: try RawValue(from: &buffer, type: type, format: format, context: context))
    }
}

// swift-format-ignore: AvoidRetroactiveConformances
extension Tagged: @retroactive PostgresArrayEncodable where RawValue: PostgresArrayEncodable {
    public static var psqlArrayType: PostgresDataType { RawValue.psqlArrayType }
}

// swift-format-ignore: AvoidRetroactiveConformances
extension Tagged: @retroactive PostgresArrayDecodable where RawValue: PostgresArrayDecodable {}
