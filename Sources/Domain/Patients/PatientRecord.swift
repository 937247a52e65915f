/// Everything a patient's record page shows, read at one moment. The parts another role's
/// work are nil for a reader whose role does not read them.
public struct PatientRecord: Sendable {
    /// As the reader may see it (`IdentityDisclosure`).
    public var patient: Patient
    public var bedHistory: [BedAssignment]
    /// Oldest first.
    public var tests: [NucleicAcidTest]
    public var eligibility: DischargeEligibility
    /// Newest first; nil unless the reader reads care plans.
    public var carePlans: [CarePlan]?
    /// Today's doses of this patient at the site; nil unless the reader reads doses.
    public var dosesToday: [DoseDue]?
    /// Oldest first; nil unless the reader reads the site's referrals.
    public var referrals: [Referral]?
    /// Beds free to move the patient to; nil unless the reader may move the patient and the
    /// patient is admitted.
    public var freeBeds: [Bed]?

    public init(
        patient: Patient, bedHistory: [BedAssignment], tests: [NucleicAcidTest], eligibility: DischargeEligibility,
        carePlans: [CarePlan]?, dosesToday: [DoseDue]?, referrals: [Referral]?, freeBeds: [Bed]?
    ) {
        self.patient = patient
        self.bedHistory = bedHistory
        self.tests = tests
        self.eligibility = eligibility
        self.carePlans = carePlans
        self.dosesToday = dosesToday
        self.referrals = referrals
        self.freeBeds = freeBeds
    }
}
