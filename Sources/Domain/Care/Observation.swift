import Foundation

/// A reading or assessment recorded against a care plan.
public struct Observation: Sendable, Codable, Equatable {
    public var id: ID
    public var planId: CarePlan.ID
    public var activityId: CareActivity.ID?
    public var measure: String
    public var observedAt: Date
    public var systolic: Int?
    public var diastolic: Int?
    public var value: Double?
    public var instrument: Instrument?
    public var score: Int?
    public var note: String?
    /// Why the reading needs attention, or nil when it is in range.
    public var flag: String?
    public var recordedBy: String

    public init(
        id: ID, planId: CarePlan.ID, activityId: CareActivity.ID?, measure: String, observedAt: Date, systolic: Int?,
        diastolic: Int?,
        value: Double?, instrument: Instrument?, score: Int?, note: String?, flag: String?, recordedBy: String
    ) {
        self.id = id
        self.planId = planId
        self.activityId = activityId
        self.measure = measure
        self.observedAt = observedAt
        self.systolic = systolic
        self.diastolic = diastolic
        self.value = value
        self.instrument = instrument
        self.score = score
        self.note = note
        self.flag = flag
        self.recordedBy = recordedBy
    }
}

/// What a clinician enters: a vital sign (`measure`) or an assessment score (`instrument`).
public struct ObservationEntry: Sendable, Codable, Equatable {
    public var activityId: CareActivity.ID?
    public var measure: Measure?
    public var observedAt: Date
    public var systolic: Int?
    public var diastolic: Int?
    public var value: Double?
    public var instrument: Instrument?
    public var score: Int?
    public var note: String?

    public init(
        activityId: CareActivity.ID? = nil, measure: Measure? = nil, observedAt: Date, systolic: Int? = nil,
        diastolic: Int? = nil,
        value: Double? = nil, instrument: Instrument? = nil, score: Int? = nil, note: String? = nil
    ) {
        self.activityId = activityId
        self.measure = measure
        self.observedAt = observedAt
        self.systolic = systolic
        self.diastolic = diastolic
        self.value = value
        self.instrument = instrument
        self.score = score
        self.note = note
    }

    /// The stored name of what was observed.
    public var measureName: String { measure?.rawValue ?? "assessment" }

    public func validate(now: Date) throws {
        var v = Validator()
        v.pastInstant(observedAt, "observedAt", now: now)
        v.check((measure == nil) != (instrument == nil), "measure", "give either a measure or an assessment instrument")
        v.optionalText(note, "note", max: 2000)
        switch measure {
        case .bloodPressure:
            v.check((40...300).contains(systolic ?? -1), "systolic", "is required, 40-300 mmHg")
            v.check((20...200).contains(diastolic ?? -1), "diastolic", "is required, 20-200 mmHg")
        case .temperature: v.check((30.0...45.0).contains(value ?? -1), "value", "must be a temperature of 30-45 °C")
        case .glucose: v.check((0.5...50.0).contains(value ?? -1), "value", "must be a glucose of 0.5-50 mmol/L")
        case .spo2: v.check((50.0...100.0).contains(value ?? -1), "value", "must be an SpO2 of 50-100 %")
        case .heartRate: v.check((20.0...250.0).contains(value ?? -1), "value", "must be a heart rate of 20-250 /min")
        case nil:
            if let instrument {
                v.check(
                    (0...instrument.maximumScore).contains(score ?? -1), "score",
                    "must be 0-\(instrument.maximumScore) for \(instrument.rawValue)")
            }
        }
        try v.finish()
    }

    /// Why a reading is out of range, or nil. These thresholds are clinical limits for a ward
    /// without intensive care: each one means "tell a doctor now".
    public var flagExplanation: Explanation? {
        func out(_ what: String, _ value: String, _ unit: String, _ limit: String) -> Explanation {
            Explanation(
                "flag.reading",
                [
                    "measure": .word(
                        key: "flag_\(what.replacingOccurrences(of: " ", with: "_").lowercased())", fallback: what),
                    "value": .text(value), "unit": .text(unit),
                    "limit": .text(limit),
                ])
        }
        switch measure {
        case .bloodPressure:
            if let s = systolic, s >= 180 { return out("systolic", "\(s)", "mmHg", ">= 180") }
            if let d = diastolic, d >= 110 { return out("diastolic", "\(d)", "mmHg", ">= 110") }
            if let s = systolic, s < 90 { return out("systolic", "\(s)", "mmHg", "< 90") }
        case .temperature:
            if let t = value, t >= 39 { return out("temperature", "\(t)", "°C", ">= 39") }
            if let t = value, t < 35 { return out("temperature", "\(t)", "°C", "< 35") }
        case .glucose:
            if let g = value, g >= 16.7 { return out("glucose", "\(g)", "mmol/L", ">= 16.7") }
            if let g = value, g < 3.9 { return out("glucose", "\(g)", "mmol/L", "< 3.9") }
        case .spo2:
            if let o = value, o <= 93 { return out("SpO2", "\(o)", "%", "<= 93") }
        case .heartRate:
            if let h = value, h >= 130 { return out("heart rate", "\(h)", "/min", ">= 130") }
            if let h = value, h < 45 { return out("heart rate", "\(h)", "/min", "< 45") }
        case nil:
            if let instrument, let score, score >= instrument.severeFrom {
                return Explanation(
                    "flag.severe_score",
                    [
                        "instrument": .text(instrument.rawValue), "score": .text("\(score)"),
                        "limit": .text(">= \(instrument.severeFrom)"),
                    ])
            }
        }
        return nil
    }

    /// The flag in English, as it is stored and as the API gives it.
    public var flag: String? { flagExplanation?.english }
}
