import Domain
import Foundation
import TestSupport
import Testing

@Suite("HTTP: laboratory results as CSV and HL7 v2, and the review queue")
struct LabResultAPITests {
    /// Two patients of site A swabbed today, their tubes taken and sent to laboratory JS-LAB.
    static func sent(_ api: APIHarness) async throws -> [String] {
        let site = "/sites/\(api.siteA)"
        let lab = try await api.call(.post, "/laboratories", body: #"{"code":"JS-LAB","name":"金山实验室"}"#)
        try #require(lab.status == 201, "\(lab.text)")
        var patients: [Int] = []
        for n in 1...2 { patients.append(try await SwabAPITests.admitEarlier(api, bed: n - 1, sequence: n)) }
        let made = try await api.call(.post, site + "/swab-rounds", as: "clinicianA", body: "{}")
        let day = (made.json["round"] as? [String: Any])?["date"] as? String ?? ""
        let tubes = try await api.call(.get, "\(site)/swab-rounds/\(day)/specimens", as: "clinicianA").items
        for tube in tubes {
            let band = WristbandCode(patientId: Patient.ID(Int64(tube["patientId"] as? Int ?? 0)))!.description
            let taken = try await api.call(
                .post, "\(site)/specimens/\(tube["accession"] as? String ?? "")/collection", as: "clinicianA",
                body: #"{"outcome":"collected","wristband":"\#(band)"}"#)
            try #require(taken.status == 200, "\(taken.text)")
        }
        let box = try await api.call(
            .post, site + "/specimen-boxes", as: "clinicianA",
            body: #"{"laboratoryId":\#(lab.json["id"] as? Int ?? 0)}"#)
        try #require(box.status == 201, "\(box.text)")
        return tubes.compactMap { $0["accession"] as? String }
    }

    @Test("a site's clinician brings a laboratory's file in: good rows recorded, the rest held by line; others may not")
    func siteImport() async throws {
        try await APIHarness.run { api in
            let tubes = try await Self.sent(api)
            let never = AccessionNumber(sequence: 9_999_999_000)!.description
            let csv = "accession,n_gene_ct,orf1ab_ct,result\n\(tubes[0]),38,39,negative\n\(never),,,negative\n"
            let path = "/sites/\(api.siteA)/lab-results?laboratory=js-lab"
            let csvHeader = ["Content-Type": "text/csv"]
            let taken = try await api.call(.post, path, as: "clinicianA", body: csv, headers: csvHeader)
            #expect(taken.status == 200 && taken.json["recorded"] as? Int == 1, "\(taken.text)")
            let held = taken.json["held"] as? [[String: Any]] ?? []
            #expect(held.count == 1 && held.first?["place"] as? String == "line 3")
            #expect(held.first?["reason"] as? String == "unknown_accession")
            #expect(try await api.call(.post, path, as: "pharmacistA", body: csv, headers: csvHeader).status == 403)
            #expect(try await api.call(.post, path, as: "clinicianB", body: csv, headers: csvHeader).status == 404)
            let labWide = try await api.call(
                .post, "/lab/results?laboratory=JS-LAB", as: "clinicianA", body: csv, headers: csvHeader)
            #expect(labWide.status == 403, "\(labWide.text)")
            let noLab = try await api.call(
                .post, "/sites/\(api.siteA)/lab-results?laboratory=NOPE", as: "clinicianA", body: csv,
                headers: csvHeader)
            #expect(noLab.status == 422 && noLab.problemFields == ["laboratory"], "\(noLab.text)")
            let header = try await api.call(
                .post, path, as: "clinicianA", body: "tube,outcome\nx,y\n", headers: csvHeader)
            #expect(header.status == 422 && header.text.contains("missing column"), "\(header.text)")

            let queue = try await api.call(.get, "/sites/\(api.siteA)/result-reviews", as: "clinicianA")
            #expect(queue.status == 200 && queue.json["total"] as? Int == 1, "\(queue.text)")
            let id = queue.items.first?["id"] as? Int ?? 0
            let review = "/sites/\(api.siteA)/result-reviews/\(id)"
            let noReason = try await api.call(.post, review + "/reject", as: "clinicianA", body: "{}")
            #expect(noReason.status == 400, "\(noReason.text)")
            let blank = try await api.call(.post, review + "/reject", as: "clinicianA", body: #"{"reason":"  "}"#)
            #expect(blank.status == 422 && blank.problemFields == ["reason"], "\(blank.text)")
            let wrongTube = try await api.call(
                .post, review + "/match", as: "clinicianA", body: #"{"accession":"S12","reason":"typo"}"#)
            #expect(wrongTube.status == 422 && wrongTube.problemFields == ["accession"], "\(wrongTube.text)")
            let matched = try await api.call(
                .post, review + "/match", as: "clinicianA",
                body: #"{"accession":"\#(tubes[1])","reason":"label misread at the laboratory"}"#)
            #expect(matched.status == 200 && matched.json["decision"] as? String == "matched", "\(matched.text)")
            #expect(matched.json["matchedAccession"] as? String == tubes[1])
            let twice = try await api.call(.post, review + "/reject", as: "clinicianA", body: #"{"reason":"x"}"#)
            #expect(twice.status == 409, "\(twice.text)")
            #expect(try await api.call(.get, review, as: "managerA").json["decision"] as? String == "matched")
        }
    }

    @Test("an ORU^R01 over HTTP is answered with its ACK as application/hl7-v2")
    func hl7() async throws {
        try await APIHarness.run { api in
            let tubes = try await Self.sent(api)
            let message = [
                "MSH|^~\\&|LIS|JS-LAB|CORDON|TA-01|20220420120000||ORU^R01^ORU_R01|K1|P|2.5.1",
                "OBR|1|\(tubes[0])||94531-1^SARS-CoV-2 panel^LN",
                "OBX|1|CWE|94500-6^SARS-CoV-2 RNA^LN||260415000^Not detected^SCT||||||F",
            ].joined(separator: "\r")
            let ack = try await api.call(
                .post, "/lab/hl7v2", body: message, headers: ["Content-Type": "application/hl7-v2"])
            #expect(ack.status == 200 && ack.text.hasPrefix("MSH|^~\\&|CORDON") && ack.text.contains("MSA|AA|K1"))
            #expect(ack.header("Content-Type")?.hasPrefix("application/hl7-v2") == true)
            let clinician = try await api.call(
                .post, "/lab/hl7v2", as: "clinicianA", body: message, headers: ["Content-Type": "application/hl7-v2"])
            #expect(clinician.status == 403, "\(clinician.text)")
            // A bundle over the upload limit is refused before it is read, as FHIR.
            let huge =
                #"{"resourceType":"Bundle","type":"batch","entry":[],"pad":""# + String(repeating: "x", count: 9 << 20)
                + "\"}"
            let tooBig = try await api.call(
                .post, "/fhir", body: huge, headers: ["Content-Type": "application/fhir+json"])
            #expect(tooBig.status == 413 && tooBig.text.contains("OperationOutcome"), "\(tooBig.text.prefix(300))")
            let empty = try await api.call(
                .post, "/fhir?laboratory=JS-LAB", body: #"{"resourceType":"Bundle","type":"batch","entry":[]}"#,
                headers: ["Content-Type": "application/fhir+json"])
            #expect(empty.status == 422 && empty.text.contains("OperationOutcome"), "\(empty.text)")
        }
    }
}
