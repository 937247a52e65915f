import Foundation

/// The conditions a care plan can address.
public enum CareCondition: String, Sendable, Codable, CaseIterable {
    case hypertension, diabetes
    case cancerChemotherapy = "cancer_chemotherapy"
    case pregnancy, dialysis
    case mentalHealth = "mental_health"
    case elderlyLivingAlone = "elderly_living_alone"
    case other
}

/// A care plan's life: drafted, made active, then completed or revoked.
public enum CarePlanStatus: String, Sendable, Codable, CaseIterable, StateMachine {
    case draft, active, completed, revoked

    public var allowedNext: [CarePlanStatus] {
        switch self {
        case .draft: [.active, .revoked]
        case .active: [.completed, .revoked]
        case .completed, .revoked: []
        }
    }
}

/// A patient's plan of care, with its activities.
public struct CarePlan: Sendable, Codable, Equatable {
    public var id: ID
    public var siteId: Site.ID
    public var patientId: Patient.ID
    public var status: CarePlanStatus
    public var conditions: [CareCondition]
    public var goals: String
    public var reviewOn: CalendarDate
    public var authorName: String
    public var version: Int
    public var activities: [CareActivity]

    public init(
        id: ID, siteId: Site.ID, patientId: Patient.ID, status: CarePlanStatus, conditions: [CareCondition],
        goals: String,
        reviewOn: CalendarDate, authorName: String, version: Int, activities: [CareActivity]
    ) {
        self.id = id
        self.siteId = siteId
        self.patientId = patientId
        self.status = status
        self.conditions = conditions
        self.goals = goals
        self.reviewOn = reviewOn
        self.authorName = authorName
        self.version = version
        self.activities = activities
    }
}

/// The editable fields of a care plan.
public struct CarePlanDraft: Sendable, Codable, Equatable {
    public var conditions: [CareCondition]
    public var goals: String
    public var reviewOn: CalendarDate

    public init(conditions: [CareCondition], goals: String, reviewOn: CalendarDate) {
        self.conditions = conditions
        self.goals = goals
        self.reviewOn = reviewOn
    }

    public func validate() throws {
        var v = Validator()
        v.check(!conditions.isEmpty, "conditions", "must name at least one condition")
        v.check(Set(conditions).count == conditions.count, "conditions", "must not repeat a condition")
        v.optionalText(goals, "goals", max: 4000)
        v.check(conditions.count <= CareCondition.allCases.count, "conditions", "must list each condition once")
        v.plannedDay(reviewOn, "reviewOn")
        try v.finish()
    }
}

/// What a plan asks to be done.
public enum CareActivityKind: String, Sendable, Codable, CaseIterable {
    case medication, monitoring, assessment, recovery
}

/// A measurement taken at the bedside.
public enum Measure: String, Sendable, Codable, CaseIterable {
    case bloodPressure = "blood_pressure"
    case temperature, glucose, spo2
    case heartRate = "heart_rate"
}

/// A psychological screening instrument.
public enum Instrument: String, Sendable, Codable, CaseIterable {
    case phq9 = "PHQ-9"
    case gad7 = "GAD-7"

    /// The highest score the instrument gives.
    public var maximumScore: Int { self == .phq9 ? 27 : 21 }
    /// Scores at or above this are severe and flagged.
    public var severeFrom: Int { self == .phq9 ? 20 : 15 }
}

/// One order or activity of a plan: a medication order, a monitoring order, an assessment or a
/// recovery activity.
public struct CareActivity: Sendable, Codable, Equatable {
    public var id: ID
    public var planId: CarePlan.ID
    public var kind: CareActivityKind
    public var description: String
    public var medicationId: Medication.ID?
    /// Units of issue per dose (tablets).
    public var doseUnits: Int?
    public var route: String?
    /// Local times, `HH:MM`, when a dose is due or a measurement is taken.
    public var timesOfDay: [String]
    public var measure: Measure?
    public var instrument: Instrument?
    public var startsOn: CalendarDate
    public var endsOn: CalendarDate?

    public init(
        id: ID, planId: CarePlan.ID, kind: CareActivityKind, description: String, medicationId: Medication.ID?,
        doseUnits: Int?,
        route: String?, timesOfDay: [String], measure: Measure?, instrument: Instrument?, startsOn: CalendarDate,
        endsOn: CalendarDate?
    ) {
        self.id = id
        self.planId = planId
        self.kind = kind
        self.description = description
        self.medicationId = medicationId
        self.doseUnits = doseUnits
        self.route = route
        self.timesOfDay = timesOfDay
        self.measure = measure
        self.instrument = instrument
        self.startsOn = startsOn
        self.endsOn = endsOn
    }

    /// Whether the activity runs on `date`.
    public func isActive(on date: CalendarDate) -> Bool {
        startsOn <= date && (endsOn.map { date <= $0 } ?? true)
    }

    /// Units of issue used a day by a medication order.
    public var dailyUnits: Int {
        kind == .medication ? Self.dailyUnits(doseUnits: doseUnits, timesADay: timesOfDay.count) : 0
    }

    /// Units of issue a medication order of `doseUnits` given `timesADay` uses a day.
    public static func dailyUnits(doseUnits: Int?, timesADay: Int) -> Int { (doseUnits ?? 0) * timesADay }
}

/// Medication orders of one shape, counted: `orders` active orders of `medicationId` for
/// `doseUnits` given `timesADay`. A site's daily use is read as these few lines rather than
/// as every order.
public struct OrderShapeCount: Sendable, Equatable {
    public var medicationId: Medication.ID
    public var doseUnits: Int?
    public var timesADay: Int
    public var orders: Int

    public init(medicationId: Medication.ID, doseUnits: Int?, timesADay: Int, orders: Int) {
        self.medicationId = medicationId
        self.doseUnits = doseUnits
        self.timesADay = timesADay
        self.orders = orders
    }

    /// Units of issue these orders use a day together.
    public var dailyUnits: Int { orders * CareActivity.dailyUnits(doseUnits: doseUnits, timesADay: timesADay) }
}

/// The fields supplied to add an activity to a plan.
public struct CareActivityDraft: Sendable, Codable, Equatable {
    public var kind: CareActivityKind
    public var description: String
    public var medicationId: Medication.ID?
    public var doseUnits: Int?
    public var route: String?
    public var timesOfDay: [String]
    public var measure: Measure?
    public var instrument: Instrument?
    public var startsOn: CalendarDate
    public var endsOn: CalendarDate?

    public init(
        kind: CareActivityKind, description: String = "", medicationId: Medication.ID? = nil, doseUnits: Int? = nil,
        route: String? = nil,
        timesOfDay: [String] = [], measure: Measure? = nil, instrument: Instrument? = nil, startsOn: CalendarDate,
        endsOn: CalendarDate? = nil
    ) {
        self.kind = kind
        self.description = description
        self.medicationId = medicationId
        self.doseUnits = doseUnits
        self.route = route
        self.timesOfDay = timesOfDay
        self.measure = measure
        self.instrument = instrument
        self.startsOn = startsOn
        self.endsOn = endsOn
    }

    /// Doses or measurements a day: every hour at most.
    public static let maximumTimesOfDay = 24

    public func validate() throws {
        var v = Validator()
        v.optionalText(description, "description", max: 1000)
        v.check(
            timesOfDay.count <= Self.maximumTimesOfDay, "timesOfDay",
            "must list at most \(Self.maximumTimesOfDay) times a day")
        for time in timesOfDay.prefix(Self.maximumTimesOfDay) {
            v.check(LocalTime.isValid(time), "timesOfDay", "\(time.prefix(10)) is not a time as HH:MM")
        }
        v.optionalText(route, "route", max: 50)
        v.plannedDay(startsOn, "startsOn")
        v.plannedDay(endsOn, "endsOn")
        v.check(Set(timesOfDay).count == timesOfDay.count, "timesOfDay", "must not repeat a time")
        if let endsOn { v.check(endsOn >= startsOn, "endsOn", "must not be before startsOn") }
        switch kind {
        case .medication:
            v.check(medicationId != nil, "medicationId", "is required for a medication order")
            v.check((1...100).contains(doseUnits ?? 0), "doseUnits", "must be between 1 and 100 units of issue")
            v.check(
                !(route ?? "").trimmingCharacters(in: .whitespaces).isEmpty, "route",
                "is required for a medication order, e.g. oral")
            v.check(!timesOfDay.isEmpty, "timesOfDay", "must list when each dose is due, e.g. 08:00")
        case .monitoring:
            v.check(measure != nil, "measure", "is required for a monitoring order")
            v.check(!timesOfDay.isEmpty, "timesOfDay", "must list when each measurement is due")
        case .assessment:
            v.check(instrument != nil, "instrument", "is required for an assessment: PHQ-9 or GAD-7")
        case .recovery:
            v.check(
                !description.trimmingCharacters(in: .whitespaces).isEmpty, "description",
                "must say what the activity is")
        }
        try v.finish()
    }
}
