import Domain
import Foundation
import Testing

@Suite("Discharge eligibility (trial 9th edition)")
struct DischargeRuleTests {
    let rule = DischargeRule()
    let t0 = Date(timeIntervalSince1970: 1_649_030_400)  // 2022-04-04T00:00:00Z

    func test(_ id: Int64, hours: Double, _ result: TestResultKind, n: Double? = nil, orf: Double? = nil)
        -> NucleicAcidTest
    {
        NucleicAcidTest(
            id: id, patientId: 1, sampledAt: t0.addingTimeInterval(hours * 3600), result: result,
            nGeneCt: n, orf1abCt: orf, recordedAt: t0)
    }

    /// Evaluates with reasons, and checks the census's quick answer agrees.
    func check(_ tests: [NucleicAcidTest], rule: DischargeRule = DischargeRule()) -> DischargeEligibility {
        let verdict = rule.evaluate(tests)
        #expect(rule.isEligible(tests) == verdict.eligible)
        return verdict
    }

    @Test("no tests: not eligible, and says so")
    func noTests() {
        let verdict = check([])
        #expect(!verdict.eligible)
        #expect(verdict.reasons == ["no nucleic-acid test recorded"])
    }

    @Test("two negatives exactly 24 h apart are eligible")
    func exactly24Hours() {
        let verdict = check([test(1, hours: 0, .negative), test(2, hours: 24, .negative)])
        #expect(verdict.eligible)
        #expect(verdict.qualifyingTestIds == [1, 2])
    }

    @Test("two negatives one minute short of 24 h are not eligible")
    func justUnder24Hours() {
        let verdict = check([test(1, hours: 0, .negative), test(2, hours: 24 - 1.0 / 60, .negative)])
        #expect(!verdict.eligible)
        #expect(
            verdict.reasons == [
                "qualifying tests span only 23.9 h; they must be at least 24 h apart",
                "next qualifying test may be sampled from 2022-04-05T00:00:00Z",
            ])
    }

    @Test("Ct exactly 35 on both genes counts as clear")
    func ctExactly35() {
        let verdict = check([
            test(1, hours: 0, .positive, n: 35, orf: 35), test(2, hours: 30, .positive, n: 35, orf: 36),
        ])
        #expect(verdict.eligible)
    }

    @Test("one gene at 34.9 does not count, and the reason names it")
    func ctJustBelow() {
        let verdict = check([test(1, hours: 0, .negative), test(2, hours: 30, .positive, n: 34.9, orf: 36)])
        #expect(!verdict.eligible)
        #expect(
            verdict.reasons == ["latest test (sampled 2022-04-05T06:00:00Z) does not qualify: N-gene Ct 34.9 below 35"])
    }

    @Test("a positive test between two negatives resets the count")
    func positiveInBetween() {
        let verdict = check([
            test(1, hours: 0, .negative), test(2, hours: 12, .positive, n: 30, orf: 31), test(3, hours: 48, .negative),
        ])
        #expect(!verdict.eligible)
        #expect(verdict.qualifyingTestIds == [3])
        #expect(verdict.reasons[0].hasPrefix("only one qualifying test since the last positive one"))
        #expect(
            verdict.reasons[1]
                == "test sampled 2022-04-04T12:00:00Z does not qualify: N-gene Ct 30 and ORF1ab Ct 31 below 35")
    }

    @Test("a longer run proves eligibility with the latest test and one at least 24 h before it")
    func longRun() {
        let verdict = check([
            test(1, hours: 0, .negative), test(2, hours: 20, .negative), test(3, hours: 30, .negative),
        ])
        #expect(verdict.eligible)
        #expect(verdict.qualifyingTestIds == [1, 3])
    }

    @Test("the thresholds are configuration")
    func configurableThresholds() {
        let strict = DischargeRule(ctThreshold: 40, minimumInterval: 48 * 3600)
        let history = [test(1, hours: 0, .positive, n: 38, orf: 39), test(2, hours: 30, .negative)]
        #expect(check(history).eligible)
        #expect(!check(history, rule: strict).eligible)
    }
}
