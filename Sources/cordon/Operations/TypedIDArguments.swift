import ArgumentParser
import Domain

/// A typed id (`Patient.ID`, ...) is given on the command line as its number, and parsed once.
// swift-format-ignore: AvoidRetroactiveConformances
extension Tagged: @retroactive ExpressibleByArgument where RawValue: ExpressibleByArgument {
    public init?(argument: String) {
        guard let raw = RawValue(argument: argument) else { return nil }
        self.init(rawValue: raw)
    }
}
