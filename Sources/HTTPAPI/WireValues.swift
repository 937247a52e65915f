import Domain

/// How a Domain value is written into the spec's generated type of the same shape: the schemas
/// name their fields as Domain does and share its enums' raw values, so each mapping
/// (`Components.Schemas.X.init(_:)`, beside its feature's handlers) is field by field.

extension RawRepresentable where RawValue == String {
    /// The generated enum of the same raw value. A Domain case the spec lacks is a programming
    /// error the enum tests catch (`SpecEnumTests`).
    func converted<T: RawRepresentable>() -> T where T.RawValue == String {
        T(rawValue: rawValue)!
    }
}

/// A typed id on the wire: its number.
func wire<Tag>(_ id: Tagged<Tag, Int64>) -> Int64 { id.rawValue }

/// A number that is already a plain id.
func wire(_ id: Int64) -> Int64 { id }
