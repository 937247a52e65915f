import Foundation

/// A set of vital signs as a nurse enters it, taken at the bedside at `takenAt`. Any parameter
/// may be missing (a partial set is kept); the set is scored only when all seven are there.
public struct VitalSignsDraft: Sendable, Equatable, Codable {
    public var takenAt: Date
    public var respirationRate: Int?
    public var spo2: Int?
    public var onOxygen: Bool?
    public var systolic: Int?
    public var pulse: Int?
    public var consciousness: Consciousness?
    /// Degrees Celsius; scored to one decimal, as the chart reads it.
    public var temperature: Double?

    public init(
        takenAt: Date, respirationRate: Int? = nil, spo2: Int? = nil, onOxygen: Bool? = nil, systolic: Int? = nil,
        pulse: Int? = nil, consciousness: Consciousness? = nil, temperature: Double? = nil
    ) {
        self.takenAt = takenAt
        self.respirationRate = respirationRate
        self.spo2 = spo2
        self.onOxygen = onOxygen
        self.systolic = systolic
        self.pulse = pulse
        self.consciousness = consciousness
        self.temperature = temperature
    }

    /// The ranges a living patient's readings fall in; a value outside is a typing slip.
    public static let respirationRange = 1...80
    public static let spo2Range = 50...100
    public static let systolicRange = 40...300
    public static let pulseRange = 20...250
    public static let temperatureRange = 30.0...45.0

    /// Refuses impossible values, naming each field, and a set with nothing in it or taken in
    /// the future.
    public func validate(now: Date) throws {
        var v = Validator()
        v.pastInstant(takenAt, "takenAt", now: now)
        func range<T: Comparable>(_ value: T?, _ allowed: ClosedRange<T>, _ field: String, _ unit: String) {
            guard let value else { return }
            v.check(allowed.contains(value), field, "must be \(allowed.lowerBound)-\(allowed.upperBound) \(unit)")
        }
        range(respirationRate, Self.respirationRange, "respirationRate", "breaths/min")
        range(spo2, Self.spo2Range, "spo2", "%")
        range(systolic, Self.systolicRange, "systolic", "mmHg")
        range(pulse, Self.pulseRange, "pulse", "beats/min")
        range(temperature, Self.temperatureRange, "temperature", "°C")
        v.check(
            [respirationRate, spo2, systolic, pulse].contains { $0 != nil } || onOxygen != nil
                || consciousness != nil || temperature != nil, "body", "give at least one vital sign")
        try v.finish()
    }

    /// The reading NEWS2 scores, when the set is complete.
    public func reading(scale: SpO2Scale) -> NEWS2Reading? {
        guard let respirationRate, let spo2, let onOxygen, let systolic, let pulse, let consciousness,
            let temperature
        else { return nil }
        return NEWS2Reading(
            respirationRate: respirationRate, spo2: spo2, scale: scale, onOxygen: onOxygen, systolic: systolic,
            pulse: pulse, consciousness: consciousness, temperatureTenths: Int((temperature * 10).rounded()))
    }
}

/// A set of vital signs as kept: what was entered, on which SpO2 scale, who took it and when,
/// and its NEWS2 score when it was complete.
public struct VitalSigns: Sendable, Equatable {
    public typealias ID = Tagged<VitalSigns, Int64>
    public var id: ID
    public var siteId: Site.ID
    public var patientId: Patient.ID
    public var values: VitalSignsDraft
    public var scale: SpO2Scale
    public var takenBy: String
    public var recordedAt: Date
    /// Nil for a partial set.
    public var score: NEWS2Score?

    public init(
        id: ID, siteId: Site.ID, patientId: Patient.ID, values: VitalSignsDraft, scale: SpO2Scale, takenBy: String,
        recordedAt: Date
    ) {
        self.id = id
        self.siteId = siteId
        self.patientId = patientId
        self.values = values
        self.scale = scale
        self.takenBy = takenBy
        self.recordedAt = recordedAt
        score = values.reading(scale: scale).map(NEWS2Score.init)
    }
}
