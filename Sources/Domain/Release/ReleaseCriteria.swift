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
    /// Whether the latest complete set of vital signs must score NEWS2 2 or less and no more
    /// than the set before it.
    public var news2Stable: Bool

    /// The highest NEWS2 total a patient may go home with when the site asks (`news2Stable`).
    public static let news2AtMost = 2

    public init(
        noFeverHours: Int? = nil, feverCelsius: Double = 37.3, symptomsImproved: Bool = false, news2Stable: Bool = false
    ) {
        self.noFeverHours = noFeverHours
        self.feverCelsius = feverCelsius
        self.symptomsImproved = symptomsImproved
        self.news2Stable = news2Stable
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
