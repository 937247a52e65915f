import Domain
import Foundation
import TestSupport
import Testing

@Suite("HTTP: the swab round, tubes and collection at the bedside")
struct SwabAPITests {
    /// Admits a patient two days ago, so that today's round finds them due; returns their id.
    static func admitEarlier(_ api: APIHarness, bed: Int, sequence: Int) async throws -> Int {
        let twoDaysAgo = RFC3339.string(Date(timeIntervalSinceNow: -2 * 86_400))
        let body = api.admission(bed: api.fixture.bedsA[bed].id, sequence: sequence, name: "病人\(sequence)")
            .replacingOccurrences(of: #""phone":"#, with: #""admittedAt":"\#(twoDaysAgo)","phone":"#)
        let response = try await api.call(.post, "/sites/\(api.siteA)/patients", as: "clinicianA", body: body)
        try #require(response.status == 201, "\(response.text)")
        return response.json["id"] as? Int ?? 0
    }

    @Test("a round made and made again, its tubes by page, one tube by accession; misread numbers are 400 naming it")
    func round() async throws {
        try await APIHarness.run { api in
            let site = "/sites/\(api.siteA)"
            for n in 1...3 { _ = try await Self.admitEarlier(api, bed: n - 1, sequence: n) }
            let made = try await api.call(.post, site + "/swab-rounds", as: "clinicianA", body: "{}")
            #expect(made.status == 200 && made.json["added"] as? Int == 3, "\(made.text)")
            let round = made.json["round"] as? [String: Any] ?? [:]
            let day = round["date"] as? String ?? ""
            #expect((round["total"] as? [String: Any])?["due"] as? Int == 3)
            let again = try await api.call(.post, site + "/swab-rounds", as: "managerA", body: #"{"date":"\#(day)"}"#)
            #expect(again.json["added"] as? Int == 0 && (again.json["moved"] as? [String])?.isEmpty == true)

            let first = try await api.call(.get, "\(site)/swab-rounds/\(day)/specimens?limit=2", as: "clinicianA")
            #expect(first.status == 200 && first.items.count == 2, "\(first.text)")
            let next = try #require(first.json["next"] as? String)
            let second = try await api.call(.get, next, as: "clinicianA")
            #expect(second.items.count == 1 && second.json["next"] == nil)
            let accession = first.items[0]["accession"] as? String ?? ""
            #expect(first.items[0]["bedCode"] as? String == "A-001" && first.items[0]["status"] as? String == "due")

            let one = try await api.call(.get, "\(site)/specimens/\(accession)", as: "clinicianA")
            #expect(one.status == 200 && one.json["accession"] as? String == accession)
            // One digit misread: the check character catches it, and the field is named.
            var digits = Array(accession)
            digits[5] = digits[5] == "9" ? "8" : "9"
            let misread = try await api.call(.get, "\(site)/specimens/\(String(digits))", as: "clinicianA")
            #expect(misread.status == 400 && misread.problemFields == ["accession"], "\(misread.text)")
            let never = AccessionNumber(sequence: 9_999_999_998)!.description
            let unknown = try await api.call(.get, "\(site)/specimens/\(never)", as: "clinicianA")
            #expect(unknown.status == 404, "\(unknown.text)")

            let zoned = try await api.call(.get, "\(site)/swab-rounds/\(day)", as: "managerA")
            #expect((zoned.json["zones"] as? [[String: Any]])?.first?["zoneCode"] as? String == "A")
            #expect(try await api.call(.post, site + "/swab-rounds", as: "pharmacistA", body: "{}").status == 403)
            let yesterday = try await api.call(
                .post, site + "/swab-rounds", as: "clinicianA", body: #"{"date":"2020-01-01"}"#)
            #expect(yesterday.status == 422 && yesterday.problemFields == ["date"], "\(yesterday.text)")
            let stray = try await api.call(.post, site + "/swab-rounds", as: "clinicianA", body: #"{"day":"x"}"#)
            #expect(stray.status == 400, "\(stray.text)")
        }
    }

    @Test("collection: another patient's wristband is 422 naming it and writes nothing; the right one is recorded")
    func collection() async throws {
        try await APIHarness.run { api in
            let site = "/sites/\(api.siteA)"
            let zhang = try await Self.admitEarlier(api, bed: 0, sequence: 1)
            let li = try await Self.admitEarlier(api, bed: 1, sequence: 2)
            let made = try await api.call(.post, site + "/swab-rounds", as: "clinicianA", body: "{}")
            let day = (made.json["round"] as? [String: Any])?["date"] as? String ?? ""
            let tubes = try await api.call(.get, "\(site)/swab-rounds/\(day)/specimens", as: "clinicianA").items
            let zhangTube = tubes.first { $0["patientId"] as? Int == zhang }?["accession"] as? String ?? ""
            let path = "\(site)/specimens/\(zhangTube)/collection"
            let band = { (id: Int) in WristbandCode(patientId: Patient.ID(Int64(id)))!.description }

            let wrong = try await api.call(
                .post, path, as: "clinicianA", body: #"{"outcome":"collected","wristband":"\#(band(li))"}"#)
            #expect(wrong.status == 422 && wrong.problemFields == ["wristband"], "\(wrong.text)")
            #expect(wrong.text.contains("another patient"))
            #expect(try await api.db.count("SELECT count(*)::int FROM specimens WHERE status <> 'due'") == 0)

            let missing = try await api.call(.post, path, as: "clinicianA", body: #"{"outcome":"collected"}"#)
            #expect(missing.status == 422 && missing.problemFields == ["wristband"])
            let noReason = try await api.call(.post, path, as: "clinicianA", body: #"{"outcome":"not_collected"}"#)
            #expect(noReason.status == 422 && noReason.problemFields == ["reason"])
            let badBand = try await api.call(
                .post, path, as: "clinicianA", body: #"{"outcome":"collected","wristband":"P123"}"#)
            #expect(badBand.status == 422 && badBand.problemFields == ["wristband"])

            let taken = try await api.call(
                .post, path, as: "clinicianA", body: #"{"outcome":"collected","wristband":"\#(band(zhang))"}"#)
            #expect(taken.status == 200 && taken.json["status"] as? String == "collected", "\(taken.text)")
            let refused = try await api.call(
                .post, path, as: "clinicianA", body: #"{"outcome":"not_collected","reason":"refused"}"#)
            #expect(refused.status == 409, "\(refused.text)")
            #expect(
                try await api.call(
                    .post, path, as: "pharmacistA", body: #"{"outcome":"not_collected","reason":"asleep"}"#
                ).status == 403)
        }
    }

    @Test(
        "a laboratory registered by an admin; a box with a tube not taken or misread is 422 naming its place; the manifest as CSV and PDF"
    )
    func dispatch() async throws {
        try await APIHarness.run { api in
            let site = "/sites/\(api.siteA)"
            #expect(
                try await api.call(.post, "/laboratories", as: "clinicianA", body: #"{"code":"LAB1","name":"x"}"#)
                    .status
                    == 403)
            let lab = try await api.call(.post, "/laboratories", as: "admin", body: #"{"code":"LAB1","name":"金山检测"}"#)
            #expect(lab.status == 201, "\(lab.text)")
            let again = try await api.call(.post, "/laboratories", as: "admin", body: #"{"code":"lab1","name":"y"}"#)
            #expect(again.status == 409 && again.problemFields == ["code"], "\(again.text)")
            let labId = lab.json["id"] as? Int ?? 0
            #expect(try await api.call(.get, "/laboratories", as: "clinicianA").items.count == 1)

            let patient = try await Self.admitEarlier(api, bed: 0, sequence: 1)
            let made = try await api.call(.post, site + "/swab-rounds", as: "clinicianA", body: "{}")
            let day = (made.json["round"] as? [String: Any])?["date"] as? String ?? ""
            let tube = try await api.call(.get, "\(site)/swab-rounds/\(day)/specimens", as: "clinicianA").items[0]
            let accession = tube["accession"] as? String ?? ""
            let band = WristbandCode(patientId: Patient.ID(Int64(patient)))!.description
            let notTaken = try await api.call(
                .post, site + "/specimen-boxes", as: "clinicianA",
                body: #"{"laboratoryId":\#(labId),"accessions":["\#(accession)"]}"#)
            #expect(notTaken.status == 422 && notTaken.problemFields == ["accessions[0]"], "\(notTaken.text)")
            _ = try await api.call(
                .post, "\(site)/specimens/\(accession)/collection", as: "clinicianA",
                body: #"{"outcome":"collected","wristband":"\#(band)"}"#)
            let misread = try await api.call(
                .post, site + "/specimen-boxes", as: "clinicianA",
                body: #"{"laboratoryId":\#(labId),"accessions":["\#(accession)","S00000000019"]}"#)
            #expect(misread.status == 422 && misread.problemFields == ["accessions[1]"], "\(misread.text)")
            let sent = try await api.call(
                .post, site + "/specimen-boxes", as: "clinicianA",
                body: #"{"laboratoryId":\#(labId),"accessions":["\#(accession)"]}"#)
            #expect(sent.status == 201, "\(sent.text)")
            let boxId = (sent.json["box"] as? [String: Any])?["id"] as? Int ?? 0
            #expect((sent.json["box"] as? [String: Any])?["tubes"] as? Int == 1)
            let csv = try await api.call(.get, "\(site)/specimen-boxes/\(boxId)/manifest", as: "clinicianA")
            #expect(csv.status == 200 && csv.header("Content-Type")?.hasPrefix("text/csv") == true)
            #expect(csv.text.split(separator: "\n").count == 2 && csv.text.contains(accession))
            let pdf = try await api.call(.get, "\(site)/specimen-boxes/\(boxId)/manifest?format=pdf", as: "clinicianA")
            #expect(pdf.status == 200 && pdf.header("Content-Type") == "application/pdf" && pdf.text.hasPrefix("%PDF"))
            #expect(try await api.call(.get, "\(site)/specimen-boxes", as: "managerA").items.count == 1)
            let waiting = try await api.call(.get, "\(site)/swab-rounds/\(day)", as: "managerA")
            #expect(waiting.json["oldestAwaitingSince"] is String, "\(waiting.text)")
            #expect(
                try await api.call(.get, "/sites/\(api.siteB)/specimen-boxes/\(boxId)", as: "clinicianB").status == 404)
            let labels = try await api.call(.get, "\(site)/swab-rounds/\(day)/labels?sheet=thermal", as: "clinicianA")
            #expect(labels.status == 200 && labels.header("Content-Type") == "application/pdf")
            let band2 = try await api.call(.get, "\(site)/patients/\(patient)/wristband", as: "clinicianA")
            #expect(band2.status == 200 && band2.text.hasPrefix("%PDF"))
        }
    }
}
