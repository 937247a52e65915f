import Foundation

/// How long the usable stock of one medicine lasts at the current orders.
public struct CoverLine: Sendable, Codable, Equatable {
    public var medicationId: Medication.ID
    public var medicationCode: String
    /// Units on the site's shelves that have not expired.
    public var usableOnHand: Int
    /// Units the active medication orders use a day.
    public var dailyUse: Int
    /// `usableOnHand / dailyUse`, rounded down to a tenth; nil when nothing is ordered.
    public var daysOfCover: Double?

    public init(medicationId: Medication.ID, medicationCode: String, usableOnHand: Int, dailyUse: Int) {
        self.medicationId = medicationId
        self.medicationCode = medicationCode
        self.usableOnHand = usableOnHand
        self.dailyUse = dailyUse
        self.daysOfCover = dailyUse > 0 ? (Double(usableOnHand) * 10 / Double(dailyUse)).rounded(.down) / 10 : nil
    }

    static func format(_ days: Double) -> String {
        days == days.rounded() ? String(Int(days)) : String(days)
    }
}

/// One dose due on the day.
public struct DoseDue: Sendable, Codable, Equatable {
    public var patientId: Patient.ID
    public var patientName: String
    public var bedCode: String?
    public var zoneId: Zone.ID?
    public var activityId: CareActivity.ID
    public var medicationCode: String
    public var doseUnits: Int
    public var route: String
    public var time: String
    /// True when a dispense against the order covers this dose.
    public var given: Bool
    /// Why the dose was not given, when someone recorded that it was not.
    public var notGivenReason: String?

    public init(
        patientId: Patient.ID, patientName: String, bedCode: String?, zoneId: Zone.ID?, activityId: CareActivity.ID,
        medicationCode: String,
        doseUnits: Int, route: String, time: String, given: Bool, notGivenReason: String? = nil
    ) {
        self.patientId = patientId
        self.patientName = patientName
        self.bedCode = bedCode
        self.zoneId = zoneId
        self.activityId = activityId
        self.medicationCode = medicationCode
        self.doseUnits = doseUnits
        self.route = route
        self.time = time
        self.given = given
        self.notGivenReason = notGivenReason
    }
}

/// A dose that was due and not given, and why.
public struct DoseOmission: Sendable, Codable, Equatable {
    public var activityId: CareActivity.ID
    /// The day the dose was due, where the site is.
    public var date: CalendarDate
    /// The time of day the dose was due, `HH:MM`, as the order lists it.
    public var time: String
    public var reason: String

    public init(activityId: CareActivity.ID, date: CalendarDate, time: String, reason: String) {
        self.activityId = activityId
        self.date = date
        self.time = time
        self.reason = reason
    }

    public func validate() throws {
        var v = Validator()
        v.check(activityId > 0, "activityId", "must be a positive id")
        v.check(LocalTime.isValid(time), "time", "must be a time as HH:MM")
        v.text(reason, "reason", max: 500)
        try v.finish()
    }
}

/// A monitoring order whose measurement is late.
public struct OverdueObservation: Sendable, Codable, Equatable {
    public var patientId: Patient.ID
    public var patientName: String
    public var bedCode: String?
    public var activityId: CareActivity.ID
    public var measure: Measure
    public var lastObservedAt: Date?
    /// "last blood_pressure at ..." or "never measured", in English, with the time in UTC.
    public var detail: String {
        lastObservedAt.map { "last \(measure.rawValue) at \($0.formatted(.iso8601))" } ?? "never measured"
    }

    public init(
        patientId: Patient.ID, patientName: String, bedCode: String?, activityId: CareActivity.ID, measure: Measure,
        lastObservedAt: Date?
    ) {
        self.patientId = patientId
        self.patientName = patientName
        self.bedCode = bedCode
        self.activityId = activityId
        self.measure = measure
        self.lastObservedAt = lastObservedAt
    }
}

/// An active plan past its review date.
public struct PlanDueForReview: Sendable, Codable, Equatable {
    public var planId: CarePlan.ID
    public var patientId: Patient.ID
    public var patientName: String
    public var reviewOn: CalendarDate

    public init(planId: CarePlan.ID, patientId: Patient.ID, patientName: String, reviewOn: CalendarDate) {
        self.planId = planId
        self.patientId = patientId
        self.patientName = patientName
        self.reviewOn = reviewOn
    }
}

/// A reading out of range, for the worklist.
public struct FlaggedObservation: Sendable, Codable, Equatable {
    public var observationId: Observation.ID
    public var patientId: Patient.ID
    public var patientName: String
    public var observedAt: Date
    /// The flag as it was stored, in English.
    public var flag: String
    /// The same, worked out again from the reading for each reader's language; nil for a flag
    /// the rules of today would no longer raise.
    public var explanation: Explanation?

    public init(
        observationId: Observation.ID, patientId: Patient.ID, patientName: String, observedAt: Date, flag: String,
        explanation: Explanation? = nil
    ) {
        self.observationId = observationId
        self.patientId = patientId
        self.patientName = patientName
        self.observedAt = observedAt
        self.flag = flag
        self.explanation = explanation
    }
}

/// A site's work for one day.
public struct Worklist: Sendable, Codable, Equatable {
    public var siteId: Site.ID
    public var date: CalendarDate
    public var dosesDue: [DoseDue]
    public var overdueObservations: [OverdueObservation]
    public var plansDueForReview: [PlanDueForReview]
    public var flaggedObservations: [FlaggedObservation]
    public var stockAlerts: [StockAlert]

    public init(
        siteId: Site.ID, date: CalendarDate, dosesDue: [DoseDue], overdueObservations: [OverdueObservation],
        plansDueForReview: [PlanDueForReview], flaggedObservations: [FlaggedObservation], stockAlerts: [StockAlert]
    ) {
        self.siteId = siteId
        self.date = date
        self.dosesDue = dosesDue
        self.overdueObservations = overdueObservations
        self.plansDueForReview = plansDueForReview
        self.flaggedObservations = flaggedObservations
        self.stockAlerts = stockAlerts
    }
}

/// Marks doses given: on a day, `dispensed` dispenses against an order cover its first doses
/// that were not recorded as not given (`omitted`, the reason by time).
public func markGiven(times: [String], dispensed: Int, omitted: [String: String] = [:])
    -> [(time: String, given: Bool, notGivenReason: String?)]
{
    var covered = 0
    return times.sorted().map { time in
        if let reason = omitted[time] { return (time, false, reason) }
        covered += 1
        return (time, covered <= dispensed, nil)
    }
}

/// Whether a monitoring order's latest measurement is late at `now`: each of the day's
/// `timesPerDay` measurements is due every `24 / timesPerDay` hours, with an hour's grace.
public func isObservationOverdue(last: Date?, since start: Date, timesPerDay: Int, now: Date) -> Bool {
    guard timesPerDay > 0 else { return false }
    let interval = 24.0 * 3600 / Double(timesPerDay) + 3600
    return now.timeIntervalSince(last ?? start) > interval
}
