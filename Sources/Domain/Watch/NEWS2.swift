import Foundation

/// Level of consciousness on the ACVPU scale: alert, or new confusion, or responding only to
/// voice or pain, or unresponsive.
public enum Consciousness: String, Sendable, Codable, CaseIterable {
    case alert, confusion, voice, pain, unresponsive
}

/// Which SpO2 scale a patient's oxygen saturation is scored on: scale 2 only for a patient a
/// clinician has marked as having hypercapnic respiratory failure, whose target is 88-92 %.
public enum SpO2Scale: Int, Sendable, Codable, CaseIterable {
    case one = 1
    case two = 2
}

/// The clinical response band of a NEWS2 total (RCP 2017, chart 4).
public enum NEWS2Response: String, Sendable, Codable, CaseIterable, Comparable {
    /// 0-4 with no parameter at 3: ward-based response.
    case low
    /// A single parameter at 3 (the red score), total under 5: urgent ward-based response.
    case lowMedium = "low_medium"
    /// 5-6: key threshold for urgent response.
    case medium
    /// 7 or more: urgent or emergency response.
    case high

    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A complete set of the seven NEWS2 parameters, as taken at the bedside.
public struct NEWS2Reading: Sendable, Equatable {
    /// Breaths per minute.
    public var respirationRate: Int
    /// Oxygen saturation, %.
    public var spo2: Int
    public var scale: SpO2Scale
    /// On supplemental oxygen (any device) rather than air.
    public var onOxygen: Bool
    /// Systolic blood pressure, mmHg.
    public var systolic: Int
    /// Pulse, beats per minute.
    public var pulse: Int
    public var consciousness: Consciousness
    /// Temperature in tenths of a degree Celsius (37.2 °C is 372), as the chart reads one decimal.
    public var temperatureTenths: Int

    public init(
        respirationRate: Int, spo2: Int, scale: SpO2Scale = .one, onOxygen: Bool, systolic: Int, pulse: Int,
        consciousness: Consciousness, temperatureTenths: Int
    ) {
        self.respirationRate = respirationRate
        self.spo2 = spo2
        self.scale = scale
        self.onOxygen = onOxygen
        self.systolic = systolic
        self.pulse = pulse
        self.consciousness = consciousness
        self.temperatureTenths = temperatureTenths
    }
}

/// The National Early Warning Score 2 (Royal College of Physicians, 2017): each parameter's
/// band score, the total, the red score (any single parameter at 3) and the clinical response.
public struct NEWS2Score: Sendable, Equatable {
    public var respiration: Int
    public var spo2: Int
    public var oxygen: Int
    public var systolic: Int
    public var pulse: Int
    public var consciousness: Int
    public var temperature: Int

    public init(_ r: NEWS2Reading) {
        respiration = Self.respiration(r.respirationRate)
        spo2 = r.scale == .one ? Self.spo2Scale1(r.spo2) : Self.spo2Scale2(r.spo2, onOxygen: r.onOxygen)
        oxygen = r.onOxygen ? 2 : 0
        systolic = Self.systolic(r.systolic)
        pulse = Self.pulse(r.pulse)
        consciousness = r.consciousness == .alert ? 0 : 3
        temperature = Self.temperature(r.temperatureTenths)
    }

    public var parts: [Int] { [respiration, spo2, oxygen, systolic, pulse, consciousness, temperature] }

    public var total: Int { parts.reduce(0, +) }

    /// Some single parameter scores 3: at least an urgent ward-based response.
    public var hasRedScore: Bool { parts.contains(3) }

    public var response: NEWS2Response {
        switch total {
        case 7...: .high
        case 5...6: .medium
        default: hasRedScore ? .lowMedium : .low
        }
    }

    static func respiration(_ v: Int) -> Int {
        switch v {
        case ...8: 3
        case 9...11: 1
        case 12...20: 0
        case 21...24: 2
        default: 3
        }
    }

    static func spo2Scale1(_ v: Int) -> Int {
        switch v {
        case ...91: 3
        case 92...93: 2
        case 94...95: 1
        default: 0
        }
    }

    /// Scale 2: below 88 scores as hypoxia; 88-92, or 93 and above on air, score nothing; on
    /// oxygen, 93 and above scores as over-oxygenation.
    static func spo2Scale2(_ v: Int, onOxygen: Bool) -> Int {
        switch (v, onOxygen) {
        case (...83, _): 3
        case (84...85, _): 2
        case (86...87, _): 1
        case (88...92, _), (_, false): 0
        case (93...94, true): 1
        case (95...96, true): 2
        default: 3
        }
    }

    static func systolic(_ v: Int) -> Int {
        switch v {
        case ...90: 3
        case 91...100: 2
        case 101...110: 1
        case 111...219: 0
        default: 3
        }
    }

    static func pulse(_ v: Int) -> Int {
        switch v {
        case ...40: 3
        case 41...50: 1
        case 51...90: 0
        case 91...110: 1
        case 111...130: 2
        default: 3
        }
    }

    static func temperature(_ tenths: Int) -> Int {
        switch tenths {
        case ...350: 3
        case 351...360: 1
        case 361...380: 0
        case 381...390: 1
        default: 2
        }
    }
}
