import Foundation

/// A member of staff who could take a place on a shift, with what putting them there would
/// break: the assignment picker shows who is free, certified and rested before anyone is chosen.
public struct AssignmentCandidate: Sendable, Encodable, Equatable {
    public var staff: StaffMember
    /// The findings the assignment would add to the roster.
    public var findings: [RosterFinding]

    public init(staff: StaffMember, findings: [RosterFinding]) {
        self.staff = staff
        self.findings = findings
    }

    /// Not on another shift at the same time.
    public var isFree: Bool { !findings.contains { $0.rule == .overlap } }
    /// Holds the PPE training the shift's zone asks for, if it asks.
    public var isCertified: Bool { !findings.contains { $0.rule == .ppeCertification } }
    /// Has had the minimum rest and stays within the contaminated-zone and consecutive-day limits.
    public var isRested: Bool {
        !findings.contains { [.minimumRest, .contaminatedCap, .consecutiveDays].contains($0.rule) }
    }
    /// Would break no rule at all.
    public var isClear: Bool { findings.isEmpty }
}
