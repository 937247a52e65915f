import Domain
import Foundation
import Services
import TestSupport
import Testing

@Suite("Results from laboratories: CSV and HL7 v2, idempotent, with verdicts, and the review queue")
struct LabResultTests {
    typealias F = SwabFixture

    /// Site A with `count` patients admitted two days ago, each with a clear test by hand a day
    /// and a half ago, today's round made, every tube taken and sent to a new laboratory.
    static func sent(_ f: F, count: Int) async throws -> (Laboratory, [Specimen]) {
        let lab = try await f.services.laboratories.add(LaboratoryDraft(code: "JS-LAB", name: "金山实验室"), actor: F.op)
        for n in 0..<count {
            let patient = try await f.admit(n + 1, bed: n, daysAgo: 2)
            _ = try await f.services.patients.addTest(
                siteId: f.site, patientId: patient.id,
                NucleicAcidTestEntry(
                    sampledAt: Date(timeIntervalSinceNow: -36 * 3600), result: .negative, nGeneCt: nil, orf1abCt: nil),
                actor: F.op)
        }
        _ = try await f.services.swabs.makeRound(siteId: f.site, actor: F.op)
        let tubes = try await f.tubes()
        for tube in tubes {
            _ = try await f.services.swabs.recordCollection(
                siteId: f.site, accession: tube.accession,
                .collected(wristband: WristbandCode(patientId: tube.patientId)!, at: Date(timeIntervalSinceNow: -60)),
                actor: F.op)
        }
        _ = try await f.services.swabs.dispatch(siteId: f.site, laboratoryId: lab.id, scanned: nil, actor: F.op)
        return (lab, tubes)
    }

    static func held(_ intake: ResultIntake) -> [String: ReviewReason] {
        Dictionary(
            uniqueKeysWithValues: intake.receipts.compactMap {
                guard case .held(let reason, _) = $0.outcome else { return nil }
                return ($0.place, reason)
            })
    }

    @Test(
        "a laboratory's CSV: good rows recorded with the verdict, bad ones held by line, the same file again changes nothing"
    )
    func csv() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let (lab, tubes) = try await Self.sent(f, count: 4)
            let unknown = AccessionNumber(sequence: 9_999_999)!
            let csv = """
                accession,sampled_at,tested_at,n_gene_ct,orf1ab_ct,result
                \(tubes[0].accession),,,38.5,39,negative
                \(tubes[1].accession),,,ND,ND,阴性
                \(unknown),,,,,negative
                \(tubes[2].accession.description.dropLast())0,,,,,negative
                \(tubes[3].accession),,,abc,30,positive
                """
            let first = try await f.services.labResults.importCSV(
                csv, laboratoryCode: lab.code, siteId: nil, actor: F.op)
            #expect(first.recorded == 2 && first.unchanged == 0 && first.held == 3)
            #expect(
                Self.held(first) == ["line 4": .unknownAccession, "line 5": .invalid, "line 6": .invalid])
            #expect(
                first.receipts.first { $0.place == "line 6" }.map { "\($0.outcome)" }?.contains("n_gene_ct") == true)
            // Two clear tests 24 h apart: the two patients may go, in the same transaction.
            for tube in tubes.prefix(2) {
                #expect(
                    try await f.services.patients.eligibility(siteId: f.site, patientId: tube.patientId, actor: F.op)
                        .eligible)
            }
            #expect(try await db.count("SELECT count(*)::int FROM patients WHERE release_eligible") == 2)
            #expect(try await db.count("SELECT count(*)::int FROM specimens WHERE status = 'resulted'") == 2)
            #expect(try await db.count("SELECT count(*)::int FROM lab_result_reviews") == 3)

            let again = try await f.services.labResults.importCSV(
                csv, laboratoryCode: lab.code, siteId: nil, actor: F.op)
            #expect(again.recorded == 0 && again.unchanged == 2 && again.held == 3)
            #expect(try await db.count("SELECT count(*)::int FROM nucleic_acid_tests WHERE accession IS NOT NULL") == 2)
            #expect(try await db.count("SELECT count(*)::int FROM lab_result_reviews") == 3, "held once")

            // Another value for a recorded tube contradicts it: held, the recorded one stands.
            let contradiction = try await f.services.labResults.importCSV(
                "accession,n_gene_ct,orf1ab_ct,result\n\(tubes[0].accession),20,21,positive\n",
                laboratoryCode: lab.code, siteId: nil, actor: F.op)
            #expect(Self.held(contradiction) == ["line 2": .contradicts])
            #expect(
                try await db.count("SELECT count(*)::int FROM nucleic_acid_tests WHERE result = 'positive'") == 0)
        }
    }

    @Test("a positive after negatives flags the patient and restarts the release clock")
    func repositive() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let (lab, tubes) = try await Self.sent(f, count: 2)
            let intake = try await f.services.labResults.importCSV(
                "accession,n_gene_ct,orf1ab_ct,result\n\(tubes[0].accession),22.5,24,positive\n\(tubes[1].accession),,,negative\n",
                laboratoryCode: lab.code, siteId: nil, actor: F.op)
            #expect(intake.recorded == 2)
            #expect(try await db.count("SELECT count(*)::int FROM patients WHERE repositive_at IS NOT NULL") == 1)
            #expect(
                try await db.count(
                    "SELECT count(*)::int FROM patients WHERE repositive_at IS NOT NULL AND id = \(tubes[0].patientId)")
                    == 1)
            let verdict = try await f.services.patients.eligibility(
                siteId: f.site, patientId: tubes[0].patientId, actor: F.op)
            #expect(!verdict.eligible)
        }
    }

    @Test("the review queue: a clinician matches an unknown tube's result to the right tube, or rejects one; audited")
    func review() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let (lab, tubes) = try await Self.sent(f, count: 2)
            let unknown = AccessionNumber(sequence: 9_999_999)!
            _ = try await f.services.labResults.importCSV(
                "accession,result\n\(unknown),negative\n\(tubes[1].accession),maybe\n",
                laboratoryCode: lab.code, siteId: nil, actor: F.op)
            let clinician = try await f.actor("clinicianA")
            let (queue, total) = try await f.services.labResults.waiting(siteId: f.site, actor: clinician)
            #expect(total == 2 && Set(queue.map(\.reason)) == [.unknownAccession, .invalid])
            let waiting = queue.sorted { $0.reason == .unknownAccession && $1.reason != .unknownAccession }
            // Another site's clinician sees none of it: its site never sent this laboratory a box.
            let other = try await f.actor("clinicianB")
            #expect(try await f.services.labResults.waiting(siteId: f.demo.siteB.id, actor: other).total == 0)
            await #expect(throws: DomainError.self) {
                _ = try await f.services.labResults.reject(
                    siteId: f.demo.siteB.id, id: waiting[0].id, reason: "not ours", actor: other)
            }
            // A manager reads the queue but does not decide.
            await #expect(throws: DomainError.self) {
                _ = try await f.services.labResults.reject(
                    siteId: f.site, id: waiting[0].id, reason: "x", actor: try await f.actor("managerA"))
            }
            let matched = try await f.services.labResults.match(
                siteId: f.site, id: waiting[0].id, accession: tubes[0].accession.description,
                reason: "the laboratory misread the label; box list confirms", actor: clinician)
            #expect(matched.decision == .matched && matched.matchedAccession == tubes[0].accession)
            #expect(try await db.count("SELECT count(*)::int FROM nucleic_acid_tests WHERE source = 'review'") == 1)
            await #expect(throws: DomainError.conflict("this result was already matched", field: "id")) {
                _ = try await f.services.labResults.reject(
                    siteId: f.site, id: waiting[0].id, reason: "again", actor: clinician)
            }
            await #expect(throws: DomainError.self) {
                _ = try await f.services.labResults.match(
                    siteId: f.site, id: waiting[1].id, accession: nil, reason: "unreadable", actor: clinician)
            }
            let rejected = try await f.services.labResults.reject(
                siteId: f.site, id: waiting[1].id, reason: "result column unreadable; asked the laboratory to resend",
                actor: clinician)
            #expect(rejected.decision == .rejected)
            #expect(try await f.services.labResults.waiting(siteId: f.site, actor: clinician).total == 0)
            #expect(
                try await db.count(
                    "SELECT count(*)::int FROM audit_log WHERE entity = 'result_review' AND action IN ('match', 'reject')"
                )
                    == 2)
        }
    }

    @Test("a laboratory's own token sends only its own results and reads no site")
    func laboratoryScope() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let (lab, tubes) = try await Self.sent(f, count: 1)
            _ = try await f.services.laboratories.add(LaboratoryDraft(code: "OTHER", name: "Other"), actor: F.op)
            let token = try await f.services.laboratories.issueToken(laboratoryCode: lab.code, actor: F.op)
            #expect(token.username == "lab-js-lab")
            let system = try await f.services.access.authenticate(token: token.token, origin: .seed)
            #expect(system.laboratoryId == lab.id)
            await #expect(throws: DomainError.self) {
                _ = try await f.services.labResults.importCSV(
                    "accession,result\n\(tubes[0].accession),negative\n", laboratoryCode: "OTHER", siteId: nil,
                    actor: system)
            }
            await #expect(throws: DomainError.self) {
                _ = try await f.services.labResults.waiting(siteId: f.site, actor: system)
            }
            let intake = try await f.services.labResults.importCSV(
                "accession,result\n\(tubes[0].accession),negative\n", laboratoryCode: nil, siteId: nil, actor: system)
            #expect(intake.recorded == 1)
            // A tube of this laboratory sent by the other one goes to review.
            let otherToken = try await f.services.laboratories.issueToken(laboratoryCode: "other", actor: F.op)
            let otherSystem = try await f.services.access.authenticate(token: otherToken.token, origin: .seed)
            let theirs = try await f.services.labResults.importCSV(
                "accession,result\n\(tubes[0].accession),positive\n", laboratoryCode: nil, siteId: nil,
                actor: otherSystem)
            #expect(Self.held(theirs) == ["line 2": .contradicts])
        }
    }

    @Test("HL7 ORU^R01: AA when recorded, AE naming the segment and field at fault, AR when unreadable")
    func hl7() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let (lab, tubes) = try await Self.sent(f, count: 2)
            func message(_ id: String, _ groups: [String]) -> String {
                (["MSH|^~\\&|LIS|JS-LAB|CORDON|TA-01|20220420120000||ORU^R01^ORU_R01|\(id)|P|2.5.1", "PID|1||X"]
                    + groups).joined(separator: "\r")
            }
            func group(_ n: Int, _ accession: AccessionNumber, _ result: String, _ ct: String = "38") -> String {
                [
                    "OBR|\(n)|\(accession)||94531-1^SARS-CoV-2 panel^LN|||20220420080000",
                    "OBX|1|CWE|94500-6^SARS-CoV-2 RNA^LN||\(result)^^SCT||||||F",
                    "OBX|2|NM|94510-5^N gene Ct^LN||\(ct)|{Ct_value}^^UCUM|||||F",
                    "OBX|3|NM|94511-3^ORF1ab Ct^LN||39|{Ct_value}^^UCUM|||||F",
                ].joined(separator: "\r")
            }
            let good = message("M1", [group(1, tubes[0].accession, "260415000")])
            let ack = try await f.services.labResults.takeHL7(good, actor: F.op)
            #expect(ack.contains("MSA|AA|M1"), "\(ack)")
            #expect(try await f.services.labResults.takeHL7(good, actor: F.op).contains("MSA|AA|M1"))
            #expect(try await db.count("SELECT count(*)::int FROM nucleic_acid_tests WHERE source = 'hl7v2'") == 1)

            let mixed = message(
                "M2",
                [
                    group(1, tubes[1].accession, "260415000", "forty"),
                    group(2, tubes[0].accession, "260373001", "20"),
                ])
            let ae = try await f.services.labResults.takeHL7(mixed, actor: F.op)
            #expect(ae.contains("MSA|AE|M2"), "\(ae)")
            #expect(ae.contains("ERR||OBX^2^5|102^Data type error^HL70357|E"), "\(ae)")
            #expect(ae.contains("ERR||OBR^2^2|205^Duplicate key identifier^HL70357|E"), "\(ae)")

            let disordered =
                (["MSH|^~\\&|LIS|JS-LAB|||20220420120000||ORU^R01|M3|P|2.5.1", "OBX|1|NM|94510-5^^LN||30"])
                .joined(separator: "\r")
            let ar = try await f.services.labResults.takeHL7(disordered, actor: F.op)
            #expect(ar.contains("MSA|AR|M3") && ar.contains("ERR||OBX^1|100^Segment sequence error"), "\(ar)")
            let notORU = try await f.services.labResults.takeHL7(
                "MSH|^~\\&|LIS|JS-LAB|||20220420120000||ADT^A01|M4|P|2.5.1", actor: F.op)
            #expect(notORU.contains("MSA|AR|M4") && notORU.contains("ERR||MSH^1^9|200"), "\(notORU)")
            let unknownLab = try await f.services.labResults.takeHL7(
                good.replacingOccurrences(of: "|JS-LAB|", with: "|NOPE|"), from: "127.0.0.1", linked: nil
            ).ack
            #expect(unknownLab.contains("MSA|AR|M1") && unknownLab.contains("ERR||MSH^1^4|204"), "\(unknownLab)")
            #expect(try await db.count("SELECT count(*)::int FROM nucleic_acid_tests WHERE accession IS NOT NULL") == 1)
            #expect(lab.code == "JS-LAB")
        }
    }

    @Test("two deliveries of the same results at once record each result once")
    func racingDeliveries() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let (lab, tubes) = try await Self.sent(f, count: 5)
            let csv = "accession,result\n" + tubes.map { "\($0.accession),negative" }.joined(separator: "\n")
            let services = f.services
            let outcomes = try await withThrowingTaskGroup(of: ResultIntake.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await services.labResults.importCSV(csv, laboratoryCode: lab.code, siteId: nil, actor: F.op)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.map(\.recorded).reduce(0, +) == 5)
            #expect(outcomes.map(\.unchanged).reduce(0, +) == 35)
            #expect(try await db.count("SELECT count(*)::int FROM nucleic_acid_tests WHERE accession IS NOT NULL") == 5)
            #expect(try await db.count("SELECT count(*)::int FROM patients WHERE release_eligible") == 5)
        }
    }
}
