import Foundation

/// The release-from-isolation rule of China's COVID-19 protocol (trial 9th edition): two
/// consecutive nucleic-acid tests sampled at least 24 h apart, each negative or with both the
/// N-gene and ORF1ab Ct values at or above 35. The numbers are configuration.
public struct DischargeRule: Sendable, Equatable {
    /// A Ct value at or above this counts as clear.
    public var ctThreshold: Double
    /// The least time between the first and the last of the qualifying tests.
    public var minimumInterval: TimeInterval

    public init(ctThreshold: Double = 35, minimumInterval: TimeInterval = 24 * 3600) {
        self.ctThreshold = ctThreshold
        self.minimumInterval = minimumInterval
    }

    /// Whether one test counts towards release: nil when it does, else why not.
    func failure(_ test: NucleicAcidTest) -> Explanation? {
        if test.result == .negative { return nil }
        var low: [Explanation] = []
        if let n = test.nGeneCt, n < ctThreshold {
            low.append(Explanation("release.n_gene_ct", ["ct": .text(format(n))]))
        }
        if let o = test.orf1abCt, o < ctThreshold {
            low.append(Explanation("release.orf1ab_ct", ["ct": .text(format(o))]))
        }
        if test.nGeneCt == nil || test.orf1abCt == nil { low.append(Explanation("release.ct_missing")) }
        if low.isEmpty { return nil }
        return Explanation("release.below", ["values": .all(low), "threshold": .text(format(ctThreshold))])
    }

    /// The same verdict as `evaluate(_:).eligible`, without composing reasons: the census asks
    /// it of every admitted patient on every call.
    public func isEligible(_ tests: [NucleicAcidTest]) -> Bool {
        let ordered = tests.sorted { ($0.sampledAt, $0.id) < ($1.sampledAt, $1.id) }
        guard let last = ordered.last else { return false }
        var count = 0
        for test in ordered.reversed() {
            guard passes(test) else { break }
            count += 1
            if count >= 2 && last.sampledAt.timeIntervalSince(test.sampledAt) >= minimumInterval { return true }
        }
        return false
    }

    private func passes(_ test: NucleicAcidTest) -> Bool {
        if test.result == .negative { return true }
        guard let n = test.nGeneCt, let o = test.orf1abCt else { return false }
        return n >= ctThreshold && o >= ctThreshold
    }

    /// Evaluates a patient's test history.
    ///
    /// The tests that count are the unbroken run of qualifying tests at the end of the history:
    /// any non-qualifying test resets it. The patient is eligible when that run spans at least
    /// `minimumInterval` from its first to its last sample.
    public func evaluate(_ tests: [NucleicAcidTest]) -> DischargeEligibility {
        let ordered = tests.sorted { ($0.sampledAt, $0.id) < ($1.sampledAt, $1.id) }
        guard let latest = ordered.last else {
            return DischargeEligibility(
                eligible: false, explanations: [Explanation("release.no_test")], qualifyingTestIds: [])
        }
        var run: [NucleicAcidTest] = []
        var breaker: (NucleicAcidTest, Explanation)?
        for test in ordered.reversed() {
            if let why = failure(test) {
                breaker = (test, why)
                break
            }
            run.insert(test, at: 0)
        }
        if run.isEmpty, let (_, why) = breaker {
            return DischargeEligibility(
                eligible: false,
                explanations: [
                    Explanation("release.latest_fails", ["sampled": .time(latest.sampledAt), "why": .said(why)])
                ],
                qualifyingTestIds: [])
        }
        let first = run.first!
        let last = run.last!
        let span = last.sampledAt.timeIntervalSince(first.sampledAt)
        if run.count >= 2 && span >= minimumInterval {
            // Report the pair that proves it: the latest test and the latest one far enough before it.
            let partner = run.last { last.sampledAt.timeIntervalSince($0.sampledAt) >= minimumInterval }!
            return DischargeEligibility(eligible: true, explanations: [], qualifyingTestIds: [partner.id, last.id])
        }
        var reasons: [Explanation] = []
        if run.count == 1 {
            reasons.append(Explanation("release.one_test", ["hours": .text(hours(minimumInterval))]))
        } else {
            reasons.append(
                Explanation("release.short_span", ["span": .text(hours(span)), "hours": .text(hours(minimumInterval))]))
        }
        if let (test, why) = breaker {
            reasons.append(
                Explanation("release.test_fails", ["sampled": .time(test.sampledAt), "why": .said(why)]))
        }
        let earliestNext = first.sampledAt.addingTimeInterval(minimumInterval)
        reasons.append(Explanation("release.next_test", ["from": .time(earliestNext)]))
        return DischargeEligibility(eligible: false, explanations: reasons, qualifyingTestIds: run.map(\.id))
    }

    private func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    // Rounded down, so a span just short of the minimum never reads as the minimum itself.
    private func hours(_ interval: TimeInterval) -> String { format((interval / 360).rounded(.down) / 10) }
}

/// Whether a patient may be released, and if not, every reason why not.
public struct DischargeEligibility: Sendable, Equatable {
    public var eligible: Bool
    /// Why not, as keys and values, for a reader in another language.
    public var explanations: [Explanation]
    /// The tests behind the answer: the proving pair when eligible, the current run otherwise.
    public var qualifyingTestIds: [Int64]

    /// Why not, in English, as the API and the CLI give it.
    public var reasons: [String] { explanations.map(\.english) }

    public init(eligible: Bool, explanations: [Explanation], qualifyingTestIds: [Int64]) {
        self.eligible = eligible
        self.explanations = explanations
        self.qualifyingTestIds = qualifyingTestIds
    }
}

extension DischargeEligibility: Encodable {
    enum CodingKeys: String, CodingKey { case eligible, reasons, qualifyingTestIds }

    /// The API's shape: the reasons in English.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(eligible, forKey: .eligible)
        try container.encode(reasons, forKey: .reasons)
        try container.encode(qualifyingTestIds, forKey: .qualifyingTestIds)
    }
}
