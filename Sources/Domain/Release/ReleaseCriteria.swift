import Foundation

/// The clinical criteria a site adds to the test rule before anyone goes home: no fever for some
/// hours (from the temperatures recorded, in care plans and in vital signs), and a clinician's judgement that the symptoms have
/// improved. A site that sets neither releases on the test rule and a clinician's sign-off.
public struct ReleaseCriteria: Sendable, Equatable, Codable {
    /// Hours without a fever before release; nil when the site does not ask.
    public var noFeverHours: Int?
    /// A temperature at or above this (°C) is a fever, here and for withdrawing a sign-off.
    public var feverCelsius: Double
    /// Whether the clinician who signs off must judge the symptoms improved.
    public var symptomsImproved: Bool

    public init(noFeverHours: Int? = nil, feverCelsius: Double = 37.3, symptomsImproved: Bool = false) {
        self.noFeverHours = noFeverHours
        self.feverCelsius = feverCelsius
        self.symptomsImproved = symptomsImproved
    }

    public func validate() throws {
        var v = Validator()
        if let hours = noFeverHours { v.check((24...168).contains(hours), "noFeverHours", "must be 24-168 hours") }
        v.check(
            feverCelsius.isFinite && (37.0...38.5).contains(feverCelsius)
                && (feverCelsius * 10).rounded() == feverCelsius * 10,
            "feverCelsius", "must be 37.0-38.5 °C, to one decimal")
        try v.finish()
    }
}
