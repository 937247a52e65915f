import Foundation

/// The steps of a referral that have a time target, each counted from when the referral was
/// requested.
public enum ReferralStep: String, Sendable, Codable, CaseIterable {
    /// Accepted or rejected by the hospital.
    case respond
    /// An appointment made.
    case schedule
    /// The patient arrived at the hospital.
    case arrive

    /// Whether a referral in `status` still has this step ahead of it.
    func isPending(in status: ReferralStatus) -> Bool {
        switch self {
        case .respond: status == .requested
        case .schedule: status == .requested || status == .accepted
        case .arrive: [.requested, .accepted, .scheduled, .transportArranged, .inTransit].contains(status)
        }
    }
}

/// Time targets per urgency and step; configuration (`REFERRAL_TARGETS`), not code.
public struct ReferralTargets: Sendable, Equatable {
    public var seconds: [Urgency: [ReferralStep: TimeInterval]]

    public init(seconds: [Urgency: [ReferralStep: TimeInterval]]) { self.seconds = seconds }

    /// An urgent referral is accepted within 2 h and the patient arrives within 24 h.
    public static let defaults = ReferralTargets(seconds: [
        .emergency: [.respond: 1_800, .schedule: 3_600, .arrive: 6 * 3_600],
        .urgent: [.respond: 2 * 3_600, .schedule: 6 * 3_600, .arrive: 24 * 3_600],
        .routine: [.respond: 24 * 3_600, .schedule: 3 * 86_400, .arrive: 7 * 86_400],
    ])

    /// Reads `urgent.respond=2h,routine.arrive=7d,...` over the defaults; units s, m, h, d.
    public static func parse(_ text: String) throws -> ReferralTargets {
        var targets = defaults
        for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            let parts = item.split(separator: "=")
            let key = parts.first?.split(separator: ".") ?? []
            guard parts.count == 2, key.count == 2, let urgency = Urgency(rawValue: String(key[0])),
                let step = ReferralStep(rawValue: String(key[1])),
                let value = Double(parts[1].dropLast()), value > 0, let unit = parts[1].last,
                let scale = ["s": 1.0, "m": 60, "h": 3_600, "d": 86_400][String(unit)]
            else {
                throw ConfigurationError(
                    "REFERRAL_TARGETS: '\(item)' is not URGENCY.STEP=NUMBER+UNIT, e.g. urgent.respond=2h "
                        + "(urgency: routine, urgent, emergency; step: respond, schedule, arrive; unit: s, m, h, d)")
            }
            targets.seconds[urgency, default: [:]][step] = value * scale
        }
        return targets
    }

    /// The first step of `referral` past its target at `now`, with how late it is.
    public func overdue(_ referral: Referral, at now: Date) -> OverdueReferral? {
        guard let (step, due) = pendingSteps(referral).first(where: { $0.due < now }) else { return nil }
        return OverdueReferral(
            referralId: referral.id, siteId: referral.siteId, hospitalId: referral.hospitalId,
            patientName: referral.patientName, urgency: referral.urgency, status: referral.status, step: step,
            dueAt: due, minutesLate: Int(now.timeIntervalSince(due) / 60))
    }

    /// The next step of `referral` still ahead of it and when it is due; nil once none is.
    public func nextTarget(_ referral: Referral) -> (step: ReferralStep, due: Date)? {
        pendingSteps(referral).first
    }

    /// The steps still ahead of `referral`, in order, with their due times.
    func pendingSteps(_ referral: Referral) -> [(step: ReferralStep, due: Date)] {
        ReferralStep.allCases.filter { $0.isPending(in: referral.status) }.compactMap { step in
            seconds[referral.urgency]?[step].map { (step, referral.createdAt.addingTimeInterval($0)) }
        }
    }
}

/// A referral that missed a time target, for the escalation list.
public struct OverdueReferral: Sendable, Codable, Equatable {
    public var referralId: Referral.ID
    public var siteId: Site.ID
    public var hospitalId: Hospital.ID
    public var patientName: String
    public var urgency: Urgency
    public var status: ReferralStatus
    public var step: ReferralStep
    public var dueAt: Date
    public var minutesLate: Int
}
