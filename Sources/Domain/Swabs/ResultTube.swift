import Foundation

/// A tube as a laboratory's result finds it: whose it is, where it is on its way, and the
/// result already recorded for it.
public struct ResultTube: Sendable, Equatable {
    public var accession: AccessionNumber
    public var siteId: Site.ID
    /// The site's time zone, for a laboratory's times written without an offset.
    public var timeZone: TimeZone
    public var patientId: Patient.ID
    public var patientAdmitted: Bool
    public var status: SpecimenStatus
    /// The laboratory the tube's box went to, when it was sent.
    public var sentTo: Laboratory.ID?
    public var collectedAt: Date?
    /// The result recorded for the tube, when there is one.
    public var recorded: NucleicAcidTest?

    public init(
        accession: AccessionNumber, siteId: Site.ID, timeZone: TimeZone, patientId: Patient.ID,
        patientAdmitted: Bool, status: SpecimenStatus, sentTo: Laboratory.ID?, collectedAt: Date?,
        recorded: NucleicAcidTest?
    ) {
        self.accession = accession
        self.siteId = siteId
        self.timeZone = timeZone
        self.patientId = patientId
        self.patientAdmitted = patientAdmitted
        self.status = status
        self.sentTo = sentTo
        self.collectedAt = collectedAt
        self.recorded = recorded
    }

    /// What a laboratory's result for this tube does.
    public enum Effect: Sendable, Equatable {
        /// A new test on the patient, sampled when the tube was taken.
        case record(sampledAt: Date, testedAt: Date?)
        /// Ct values the recorded result lacked.
        case fill(nGeneCt: Double?, orf1abCt: Double?)
        case unchanged
        case held(ReviewReason, detail: String)
    }

    /// The effect of `received` from `laboratoryId`, received at `now`. The rules are the same
    /// whatever form the result came in.
    public func effect(of received: ReceivedResult, from laboratoryId: Laboratory.ID, now: Date) -> Effect {
        if let recorded {
            let differences = received.differences(from: recorded)
            if !differences.isEmpty {
                return .held(
                    .contradicts,
                    detail: "\(accession) already has another result: " + differences.joined(separator: "; "))
            }
            let fills = (
                recorded.nGeneCt == nil ? received.nGeneCt : nil, recorded.orf1abCt == nil ? received.orf1abCt : nil
            )
            return fills.0 == nil && fills.1 == nil ? .unchanged : .fill(nGeneCt: fills.0, orf1abCt: fills.1)
        }
        if !patientAdmitted {
            return .held(.patientLeft, detail: "the patient of \(accession) is no longer at the site")
        }
        if status == .notCollected || status == .cancelled {
            return .held(.notCollected, detail: "\(accession) was recorded as not taken")
        }
        if let sentTo, sentTo != laboratoryId {
            return .held(.otherLaboratory, detail: "\(accession) was sent to another laboratory")
        }
        let tested = received.tested?.date(in: timeZone)
        if let tested, tested > now.addingTimeInterval(300) {
            return .held(.invalid, detail: "tested: must not be in the future")
        }
        let sampled = collectedAt ?? received.sampled?.date(in: timeZone) ?? tested ?? now
        return .record(sampledAt: min(sampled, now), testedAt: tested)
    }
}
