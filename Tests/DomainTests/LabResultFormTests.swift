import Domain
import Foundation
import Testing

@Suite("Laboratory result forms read without a database: HL7 v2 and FHIR")
struct LabResultFormTests {
    static let tube = AccessionNumber(sequence: 12)!.description

    @Test("a FHIR Ct that is true or text is unreadable and named; its resources are kept as sent")
    func fhirValues() throws {
        func bundle(_ value: String) -> Data {
            Data(
                #"""
                {"resourceType":"Bundle","type":"batch","entry":[
                 {"fullUrl":"urn:uuid:q","resource":{"resourceType":"Observation","specimen":{"identifier":{"value":"\#(Self.tube)"}},
                  "code":{"coding":[{"system":"http://loinc.org","code":"94500-6"}]},
                  "valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"260415000"}]}}},
                 {"fullUrl":"urn:uuid:n","resource":{"resourceType":"Observation","specimen":{"identifier":{"value":"\#(Self.tube)"}},
                  "code":{"coding":[{"system":"http://loinc.org","code":"94510-5"}]},
                  "valueQuantity":{"value":\#(value),"code":"{Ct_value}"}}}]}
                """#.utf8)
        }
        let good = try FHIRLabBundle(data: bundle("38.5"))
        #expect(good.results.count == 1 && good.results[0].nGeneCt == 38.5 && good.results[0].result == .negative)
        #expect(good.results[0].unreadable.isEmpty && good.entries == [[0, 1]])
        for bad in ["true", "\"38\"", "75"] {
            let read = try FHIRLabBundle(data: bundle(bad))
            #expect(read.results[0].unreadable.map(\.field) == ["entry[1].resource.valueQuantity.value"], "\(bad)")
            #expect(read.results[0].raw.contains("\"valueQuantity\""), "kept as sent: \(read.results[0].raw)")
        }
        #expect(throws: DomainError.self) { _ = try FHIRLabBundle(data: Data("[1]".utf8)) }
        #expect(throws: DomainError.invalid("type", "must be transaction or batch")) {
            _ = try FHIRLabBundle(data: Data(#"{"resourceType":"Bundle","type":"document","entry":[]}"#.utf8))
        }
    }

    @Test("HL7: escapes are undone, a missing OBX names its OBR, a second MSH is refused")
    func hl7Reading() throws {
        let message = try HL7Message(
            "MSH|^~\\&|LIS|LAB\\T\\1|X|Y|20220420||ORU^R01|C1|P|2.5.1\rOBR|1|\(Self.tube)\rOBX|1|CWE|94500-6^^LN||^Not detected"
        )
        #expect(message.value("MSH", 4) == "LAB&1")
        let oru = try ORUResults(message)
        #expect(oru.results.count == 1 && oru.results[0].result == .negative, "the text when the code is absent")
        let empty = try ORUResults(HL7Message("MSH|^~\\&|L|LAB|||20220420||ORU^R01|C2|P|2.5.1\rOBR|1|\(Self.tube)"))
        #expect(empty.errors[0].map(\.code).contains(101))
        #expect(throws: HL7Message.Unreadable.self) {
            _ = try ORUResults(
                HL7Message("MSH|^~\\&|L|LAB|||1||ORU^R01|C3|P|2.5.1\rMSH|^~\\&|L|LAB|||1||ORU^R01|C4|P|2.5.1"))
        }
    }
}
