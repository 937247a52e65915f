import Domain
import Testing

/// Domain's enums go onto the wire by raw value (`converted()`): every case Domain can hold
/// must be a value the spec declares, or an answer would stop the process.
@Suite("openapi.yaml: every Domain enum's cases are the spec's values")
struct SpecEnumTests {
    /// Each Domain enum the API writes, by the spec's schema of the same name.
    static let enums: [(String, [String])] = [
        ("ArrivalStatus", ArrivalStatus.allCases.map(\.rawValue)),
        ("AssignmentState", AssignmentState.allCases.map(\.rawValue)),
        ("BedStatus", BedStatus.allCases.map(\.rawValue)), ("BranchStatus", BranchStatus.allCases.map(\.rawValue)),
        ("BranchTaskStatus", BranchTaskStatus.allCases.map(\.rawValue)),
        ("CareActivityKind", CareActivityKind.allCases.map(\.rawValue)),
        ("CareCondition", CareCondition.allCases.map(\.rawValue)),
        ("CarePlanStatus", CarePlanStatus.allCases.map(\.rawValue)),
        ("Consciousness", Consciousness.allCases.map(\.rawValue)),
        ("NEWS2Response", NEWS2Response.allCases.map(\.rawValue)),
        ("AlertLevel", AlertLevel.allCases.map(\.rawValue)),
        ("DischargeReason", DischargeReason.allCases.map(\.rawValue)),
        ("IdentityDisclosure", IdentityDisclosure.allCases.map(\.rawValue)),
        ("Instrument", Instrument.allCases.map(\.rawValue)), ("Measure", Measure.allCases.map(\.rawValue)),
        ("Office", Office.allCases.map(\.rawValue)), ("PatientStatus", PatientStatus.allCases.map(\.rawValue)),
        ("Profession", Profession.allCases.map(\.rawValue)),
        ("ReferralOutcome", ReferralOutcome.allCases.map(\.rawValue)),
        ("ReferralServiceKind", ReferralServiceKind.allCases.map(\.rawValue)),
        ("ReferralStatus", ReferralStatus.allCases.map(\.rawValue)),
        ("ReferralStep", ReferralStep.allCases.map(\.rawValue)), ("Role", Role.allCases.map(\.rawValue)),
        ("RosterRule", RosterRule.allCases.map(\.rawValue)),
        ("SecurityEventKind", SecurityEventKind.allCases.map(\.rawValue)),
        ("Severity", Severity.allCases.map(\.rawValue)), ("Sex", Sex.allCases.map(\.rawValue)),
        ("SiteKind", SiteKind.allCases.map(\.rawValue)), ("SiteStatus", SiteStatus.allCases.map(\.rawValue)),
        ("StaffStatus", StaffStatus.allCases.map(\.rawValue)),
        ("StockLocationKind", StockLocationKind.allCases.map(\.rawValue)),
        ("StockMovementKind", StockMovementKind.allCases.map(\.rawValue)),
        ("TestResultKind", TestResultKind.allCases.map(\.rawValue)),
        ("SpecimenStatus", SpecimenStatus.allCases.map(\.rawValue)),
        ("ReviewReason", ReviewReason.allCases.map(\.rawValue)),
        ("ResultForm", ResultForm.allCases.map(\.rawValue)),
        ("SignOffWithdrawal", SignOffWithdrawal.allCases.map(\.rawValue)),
        ("ReviewDecision", ReviewDecision.allCases.map(\.rawValue)),
        ("NotCollectedReason", NotCollectedReason.allCases.map(\.rawValue)),
        ("TrainingKind", TrainingKind.allCases.map(\.rawValue)), ("Urgency", Urgency.allCases.map(\.rawValue)),
        ("Vulnerability", Vulnerability.allCases.map(\.rawValue)),
        ("WebhookDeliveryStatus", WebhookDeliveryStatus.allCases.map(\.rawValue)),
        ("WebhookEventType", WebhookEventType.allCases.map(\.rawValue)),
        ("ZoneKind", ZoneKind.allCases.map(\.rawValue)),
    ]

    @Test("each Domain case is a value of its schema, and each schema value a Domain case")
    func casesMatch() throws {
        for (name, cases) in Self.enums {
            let schema = try #require(OpenAPISpec.shared.schemas[name] as? [String: Any], "no schema \(name)")
            let values = (schema["enum"] as? [Any] ?? []).map { "\($0)" }
            #expect(Set(cases) == Set(values), "\(name): Domain \(cases.sorted()), spec \(values.sorted())")
        }
    }
}
