import Foundation

/// A clinician's sign-off of a patient's release: who, when, and the judgement of the symptoms.
public struct ReleaseSignOff: Sendable, Equatable, Codable {
    public typealias ID = Int64
    public var id: ID
    public var signedBy: String
    public var signedAt: Date
    public var symptomsImproved: Bool
    public var note: String?

    public init(id: ID, signedBy: String, signedAt: Date, symptomsImproved: Bool, note: String?) {
        self.id = id
        self.signedBy = signedBy
        self.signedAt = signedAt
        self.symptomsImproved = symptomsImproved
        self.note = note
    }
}

/// Why a sign-off no longer stands.
public enum SignOffWithdrawal: String, Sendable, Codable, CaseIterable {
    /// A result after the sign-off broke the run of clear tests.
    case tests
    /// A temperature at or above the site's fever line was taken after it.
    case fever
    /// A clinician withdrew it.
    case clinician
}

/// A sign-off withdrawn, and why.
public struct WithdrawnSignOff: Sendable, Equatable, Codable {
    public var signOff: ReleaseSignOff
    public var withdrawnAt: Date
    public var reason: SignOffWithdrawal
    /// `positive` or `not_eligible` for tests, the temperature for a fever, the clinician's words.
    public var detail: String?

    public init(signOff: ReleaseSignOff, withdrawnAt: Date, reason: SignOffWithdrawal, detail: String?) {
        self.signOff = signOff
        self.withdrawnAt = withdrawnAt
        self.reason = reason
        self.detail = detail
    }

    /// The withdrawal in a person's words.
    public var explanation: Explanation {
        switch reason {
        case .tests where detail == "positive":
            Explanation("release.withdrawn_positive", ["at": .time(withdrawnAt)])
        case .tests: Explanation("release.withdrawn_tests", ["at": .time(withdrawnAt)])
        case .fever: Explanation("release.withdrawn_fever", ["at": .time(withdrawnAt), "value": .text(detail ?? "")])
        case .clinician:
            Explanation("release.withdrawn_clinician", ["at": .time(withdrawnAt), "why": .text(detail ?? "")])
        }
    }
}

/// A temperature at or above the fever line.
public struct Fever: Sendable, Equatable, Codable {
    public var takenAt: Date
    public var celsius: Double

    public init(takenAt: Date, celsius: Double) {
        self.takenAt = takenAt
        self.celsius = celsius
    }
}

/// The last two NEWS2 totals of a patient's complete sets of vital signs.
public struct NEWS2Trend: Sendable, Equatable, Codable {
    public var latest: Int
    public var takenAt: Date
    /// The one before, when there is one.
    public var previous: Int?

    public init(latest: Int, takenAt: Date, previous: Int?) {
        self.latest = latest
        self.takenAt = takenAt
        self.previous = previous
    }
}

/// Where a patient stands on the way home: whether the tests meet the release rule, whether the
/// site's clinical criteria are met, whether a clinician has signed off, and so whether the
/// patient is ready to go, with every reason that stands in the way.
public struct ReleaseCandidate: Sendable, Equatable, Codable {
    public var patientId: Patient.ID
    public var name: String
    public var zoneCode: String?
    public var zoneName: String?
    public var bedCode: String?
    /// Whether the tests meet the release rule.
    public var testsMet: Bool
    /// The latest fever within the site's no-fever window, when it asks for one.
    public var fever: Fever?
    public var signOff: ReleaseSignOff?
    /// The last sign-off withdrawn, when none stands.
    public var withdrawn: WithdrawnSignOff?
    /// The latest scores, read when the site asks for a stable NEWS2.
    public var news2: NEWS2Trend?

    public init(
        patientId: Patient.ID, name: String, zoneCode: String?, zoneName: String?, bedCode: String?, testsMet: Bool,
        fever: Fever?, signOff: ReleaseSignOff?, withdrawn: WithdrawnSignOff?, news2: NEWS2Trend? = nil
    ) {
        self.patientId = patientId
        self.name = name
        self.zoneCode = zoneCode
        self.zoneName = zoneName
        self.bedCode = bedCode
        self.testsMet = testsMet
        self.fever = fever
        self.signOff = signOff
        self.withdrawn = withdrawn
        self.news2 = news2
    }

    /// What still stands between the patient and home under `criteria`, signing off aside.
    public func clinicalReasons(_ criteria: ReleaseCriteria) -> [Explanation] {
        var out: [Explanation] = []
        if !testsMet { out.append(Explanation("release.tests_not_met")) }
        if let fever, let hours = criteria.noFeverHours {
            out.append(
                Explanation(
                    "release.fever",
                    [
                        "value": .text(String(format: "%.1f", fever.celsius)), "at": .time(fever.takenAt),
                        "hours": .text(String(hours)),
                    ]))
        }
        if criteria.news2Stable {
            if let news2 {
                if news2.latest > ReleaseCriteria.news2AtMost {
                    out.append(
                        Explanation(
                            "release.news2_high", ["score": .text(String(news2.latest)), "at": .time(news2.takenAt)]))
                } else if let previous = news2.previous, news2.latest > previous {
                    out.append(
                        Explanation(
                            "release.news2_rising",
                            ["score": .text(String(news2.latest)), "previous": .text(String(previous))]))
                }
            } else {
                out.append(Explanation("release.news2_missing"))
            }
        }
        return out
    }

    /// Whether the patient waits only for a clinician's sign-off: clear under `criteria`, none
    /// standing. The ward's list a clinician signs at once.
    public func awaitsSignOff(_ criteria: ReleaseCriteria) -> Bool {
        signOff == nil && clinicalReasons(criteria).isEmpty
    }

    /// Everything that stands between the patient and home, the sign-off included: empty when
    /// the patient is ready to go.
    public func reasons(_ criteria: ReleaseCriteria) -> [Explanation] {
        var out = clinicalReasons(criteria)
        if signOff == nil {
            out.append(withdrawn?.explanation ?? Explanation("release.not_signed_off"))
        } else if criteria.symptomsImproved, signOff?.symptomsImproved == false {
            out.append(Explanation("release.symptoms_not_improved"))
        }
        return out
    }

    /// Whether the patient may go home now.
    public func isReady(_ criteria: ReleaseCriteria) -> Bool { reasons(criteria).isEmpty }
}
