import Foundation

/// The qualitative result of a nucleic-acid (RT-PCR) test.
public enum TestResultKind: String, Sendable, Codable, CaseIterable { case positive, negative }

/// A nucleic-acid test of a patient, with its cycle-threshold (Ct) values.
///
/// A Ct value is the PCR cycle at which the target was detected: a higher value means less virus.
/// A negative test may carry no Ct values at all.
public struct NucleicAcidTest: Sendable, Codable, Equatable {
    public var id: Int64
    public var patientId: Patient.ID
    public var sampledAt: Date
    public var result: TestResultKind
    public var nGeneCt: Double?
    public var orf1abCt: Double?
    public var recordedAt: Date

    public init(
        id: Int64, patientId: Patient.ID, sampledAt: Date, result: TestResultKind, nGeneCt: Double?,
        orf1abCt: Double?, recordedAt: Date
    ) {
        self.id = id
        self.patientId = patientId
        self.sampledAt = sampledAt
        self.result = result
        self.nGeneCt = nGeneCt
        self.orf1abCt = orf1abCt
        self.recordedAt = recordedAt
    }
}

/// What a clinician enters for a test.
public struct NucleicAcidTestEntry: Sendable, Codable, Equatable {
    public var sampledAt: Date
    public var result: TestResultKind
    public var nGeneCt: Double?
    public var orf1abCt: Double?

    /// Ct values outside this range are not real PCR readings.
    public static let ctRange = 0.0...50.0

    public init(sampledAt: Date, result: TestResultKind, nGeneCt: Double?, orf1abCt: Double?) {
        self.sampledAt = sampledAt
        self.result = result
        self.nGeneCt = nGeneCt
        self.orf1abCt = orf1abCt
    }

    public func validate(now: Date, admittedAt: Date) throws {
        var v = Validator()
        v.check(sampledAt <= now.addingTimeInterval(300), "sampledAt", "must not be in the future")
        v.check(
            sampledAt >= admittedAt.addingTimeInterval(-7 * 86_400), "sampledAt",
            "must be no more than 7 days before admission")
        for (field, value) in [("nGeneCt", nGeneCt), ("orf1abCt", orf1abCt)] {
            if let value { v.check(Self.ctRange.contains(value), field, "must be between 0 and 50") }
        }
        if result == .positive {
            v.check(nGeneCt != nil, "nGeneCt", "is required for a positive result")
            v.check(orf1abCt != nil, "orf1abCt", "is required for a positive result")
        }
        try v.finish()
    }
}
