import Domain
import Foundation
import TestSupport
import Testing

@Suite("HTTP: intake by the busload")
struct IntakeAPITests {
    static func person(_ n: Int, name: String, sex: String, household: String? = nil) -> String {
        """
        {"name":"\(name)","sex":"\(sex)","dateOfBirth":"1969-09-02","nationalId":"\(testNationalID(sequence: n))"\
        \(household.map { #","household":"\#($0)""# } ?? "")}
        """
    }

    @Test(
        "a JSON list refused whole naming persons[i].field, then accepted; proposal, a bed chosen by hand, admission twice, cancel refused after"
    )
    func journey() async throws {
        try await APIHarness.run { api in
            let site = "/sites/\(api.siteA)"
            let bad = """
                {"reference":"JS-0412-01","expectedAt":"2026-11-30T14:00:00Z","persons":[
                \(Self.person(1, name: "张三", sex: "male")),
                {"name":"李四","sex":"female","dateOfBirth":"1969-02-30","nationalId":"\(testNationalID(sequence: 2))"},
                \(Self.person(1, name: "张三", sex: "male"))]}
                """
            let refused = try await api.call(.post, site + "/intake-batches", as: "clinicianA", body: bad)
            #expect(refused.status == 422 && refused.problemFields == ["persons[1].dateOfBirth"], "\(refused.text)")
            let duplicate = bad.replacingOccurrences(of: "1969-02-30", with: "1969-09-02")
            let twice = try await api.call(.post, site + "/intake-batches", as: "clinicianA", body: duplicate)
            #expect(twice.status == 422 && twice.problemFields == ["persons[2].nationalId"], "\(twice.text)")
            #expect(try await api.db.count("SELECT count(*)::int FROM intake_persons") == 0)

            let good = """
                {"reference":"JS-0412-01","expectedAt":"2026-11-30T14:00:00Z","persons":[
                \(Self.person(1, name: "张三", sex: "male", household: "H1")),
                \(Self.person(2, name: "张嫂", sex: "female", household: "H1")),
                \(Self.person(3, name: "王五", sex: "male"))]}
                """
            let created = try await api.call(.post, site + "/intake-batches", as: "clinicianA", body: good)
            #expect(created.status == 201, "\(created.text)")
            let batchId = created.json["id"] as? Int ?? 0
            #expect(created.json["expected"] as? Int == 3)
            let list = try await api.call(.get, site + "/intake-batches?open=true", as: "managerA")
            #expect((list.json["items"] as? [[String: Any]])?.count == 1)

            let proposal = try await api.call(.post, "\(site)/intake-batches/\(batchId)/proposal", as: "clinicianA")
            #expect(proposal.status == 200, "\(proposal.text)")
            let persons = proposal.json["persons"] as? [[String: Any]] ?? []
            #expect(persons.count == 3 && persons.allSatisfy { $0["bedCode"] is String })
            #expect((persons[0]["reasons"] as? [String])?.first == "with household H1 (2 people) in zone A")
            #expect(persons[0]["nationalIdMasked"] as? Bool == true, "a clinician sees the last four characters")

            // The clerk moves 王五 to the last bed by hand.
            let wang = persons[2]
            let path = "\(site)/intake-persons/\(wang["id"] as? Int ?? 0)/bed"
            let lastBed = api.fixture.bedsA[5].id
            #expect(try await api.call(.put, path, as: "clinicianA", body: #"{"bedId":\#(lastBed)}"#).status == 428)
            let chosen = try await api.call(
                .put, path, as: "clinicianA", body: #"{"bedId":\#(lastBed)}"#,
                headers: ["If-Match": "\"\(wang["version"] as? Int ?? 0)\""])
            #expect(chosen.status == 200 && chosen.json["bedCode"] as? String == "A-006", "\(chosen.text)")
            #expect(chosen.json["reasons"] as? [String] == ["chosen by staff"])
            let held = persons[0]["bedId"] as? Int ?? 0
            let taken = try await api.call(
                .put, path, as: "clinicianA", body: #"{"bedId":\#(held)}"#,
                headers: ["If-Match": chosen.header("ETag") ?? ""])
            #expect(taken.status == 409 && taken.problemFields == ["bedId"], "a bed held for someone else")

            let admitted = try await api.call(
                .post, "\(site)/intake-batches/\(batchId)/admissions", as: "clinicianA", body: "{}")
            #expect(admitted.status == 200, "\(admitted.text)")
            #expect((admitted.json["admitted"] as? [[String: Any]])?.count == 3)
            let again = try await api.call(
                .post, "\(site)/intake-batches/\(batchId)/admissions", as: "clinicianA", body: "{}")
            let replays = again.json["admitted"] as? [[String: Any]] ?? []
            #expect(replays.count == 3 && replays.allSatisfy { $0["replayed"] as? Bool == true })
            #expect(try await api.db.count("SELECT count(*)::int FROM patients") == 3)
            let cancel = try await api.call(
                .post, "\(site)/intake-persons/\(wang["id"] as? Int ?? 0)/cancel", as: "clinicianA")
            #expect(cancel.status == 409, "someone admitted is not cancelled")
        }
    }

    @Test("a CSV list: refused by line, then accepted; a pharmacist and another site are refused")
    func csvAndAccess() async throws {
        try await APIHarness.run { api in
            let site = "/sites/\(api.siteA)"
            let header = "name,sex,date_of_birth,national_id,vulnerabilities"
            let rows = [
                header, "甲,男,1969-09-02,\(testNationalID(sequence: 1)),",
                "乙,女,1969-09-02,\(testNationalID(sequence: 2)),孕妇",
                "丙,女,1969-09-02,\(testNationalID(sequence: 1)),",
            ]
            var headers = ["Content-Type": "text/csv"]
            let query = "/intake-batches/import?reference=JS-0412-05&expectedAt=2026-11-30T14:00:00Z"
            let refused = try await api.call(
                .post, site + query, as: "managerA", body: rows.joined(separator: "\n"), headers: headers)
            #expect(refused.status == 422 && refused.problemFields == ["line 4"], "\(refused.text)")
            let accepted = try await api.call(
                .post, site + query, as: "managerA", body: rows.dropLast().joined(separator: "\n"), headers: headers)
            #expect(accepted.status == 201 && accepted.json["expected"] as? Int == 2, "\(accepted.text)")
            let noReference = try await api.call(
                .post, site + "/intake-batches/import", as: "managerA", body: rows[0], headers: headers)
            #expect(noReference.status == 400)
            headers["Content-Type"] = "application/json"
            #expect(try await api.call(.get, site + "/intake-batches", as: "pharmacistA").status == 403)
            #expect(try await api.call(.get, "/sites/\(api.siteB)/intake-batches", as: "managerA").status == 404)
            let id = accepted.json["id"] as? Int ?? 0
            #expect(try await api.call(.get, "\(site)/intake-batches/\(id + 1)", as: "managerA").status == 404)
        }
    }
}
