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

    /// Whether one test counts towards release, and if not, why.
    public func qualifies(_ test: NucleicAcidTest) -> (Bool, String?) {
        if test.result == .negative { return (true, nil) }
        var low: [String] = []
        if let n = test.nGeneCt, n < ctThreshold { low.append("N-gene Ct \(format(n))") }
        if let o = test.orf1abCt, o < ctThreshold { low.append("ORF1ab Ct \(format(o))") }
        if test.nGeneCt == nil || test.orf1abCt == nil { low.append("a missing Ct value") }
        if low.isEmpty { return (true, nil) }
        return (false, low.joined(separator: " and ") + " below \(format(ctThreshold))")
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
                eligible: false, reasons: ["no nucleic-acid test recorded"], qualifyingTestIds: [])
        }
        var run: [NucleicAcidTest] = []
        var breaker: (NucleicAcidTest, String)?
        for test in ordered.reversed() {
            let (ok, why) = qualifies(test)
            if ok {
                run.insert(test, at: 0)
            } else {
                breaker = (test, why ?? "does not qualify")
                break
            }
        }
        if run.isEmpty, let (_, why) = breaker {
            return DischargeEligibility(
                eligible: false,
                reasons: ["latest test (sampled \(iso(latest.sampledAt))) does not qualify: \(why)"],
                qualifyingTestIds: [])
        }
        let first = run.first!
        let last = run.last!
        let span = last.sampledAt.timeIntervalSince(first.sampledAt)
        if run.count >= 2 && span >= minimumInterval {
            // Report the pair that proves it: the latest test and the latest one far enough before it.
            let partner = run.last { last.sampledAt.timeIntervalSince($0.sampledAt) >= minimumInterval }!
            return DischargeEligibility(eligible: true, reasons: [], qualifyingTestIds: [partner.id, last.id])
        }
        var reasons: [String] = []
        if run.count == 1 {
            reasons.append(
                "only one qualifying test since the last positive one; a second, at least \(hours(minimumInterval)) h later, is needed"
            )
        } else {
            reasons.append(
                "qualifying tests span only \(hours(span)) h; they must be at least \(hours(minimumInterval)) h apart")
        }
        if let (test, why) = breaker {
            reasons.append("test sampled \(iso(test.sampledAt)) does not qualify: \(why)")
        }
        let earliestNext = first.sampledAt.addingTimeInterval(minimumInterval)
        reasons.append("next qualifying test may be sampled from \(iso(earliestNext))")
        return DischargeEligibility(eligible: false, reasons: reasons, qualifyingTestIds: run.map(\.id))
    }

    private func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    // Rounded down, so a span just short of the minimum never reads as the minimum itself.
    private func hours(_ interval: TimeInterval) -> String { format((interval / 360).rounded(.down) / 10) }

    private func iso(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}

/// Whether a patient may be released, and if not, every reason why not.
public struct DischargeEligibility: Sendable, Codable, Equatable {
    public var eligible: Bool
    public var reasons: [String]
    /// The tests behind the answer: the proving pair when eligible, the current run otherwise.
    public var qualifyingTestIds: [Int64]

    public init(eligible: Bool, reasons: [String], qualifyingTestIds: [Int64]) {
        self.eligible = eligible
        self.reasons = reasons
        self.qualifyingTestIds = qualifyingTestIds
    }
}
