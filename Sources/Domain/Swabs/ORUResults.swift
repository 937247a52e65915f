import Foundation

/// A place in an HL7 message and what is wrong there, as an ACK's ERR segment names it.
public struct HL7Error: Sendable, Equatable {
    /// The segment, its occurrence in the message (1-based) and the field.
    public var segment: String
    public var sequence: Int
    public var field: Int
    /// HL7 table 0357: 100 segment sequence error, 101 required field missing, 102 data type
    /// error, 103 table value not found, 200 unsupported message type, 203 unsupported version,
    /// 204 unknown key identifier, 205 duplicate key identifier, 207 application internal error.
    public var code: Int
    public var detail: String

    public init(segment: String, sequence: Int, field: Int, code: Int, detail: String) {
        self.segment = segment
        self.sequence = sequence
        self.field = field
        self.code = code
        self.detail = detail
    }
}

extension HL7Message.Unreadable {
    public var error: HL7Error {
        HL7Error(segment: segment, sequence: sequence, field: field, code: code, detail: detail)
    }
}

/// The results of an ORU^R01 message (HL7 v2.5.1): one per OBR group, the tube named by SPM-2,
/// else OBR-2 (placer order number: Cordon's accession), else OBR-3.
public struct ORUResults: Sendable {
    /// MSH-10, which the ACK's MSA-2 answers.
    public var controlId: String
    /// MSH-3 and MSH-4: the sending application and facility (the laboratory's code).
    public var sendingApplication: String
    public var sendingFacility: String
    public var results: [ReceivedResult]
    /// What could not be read of each result, by place, for the ACK.
    public var errors: [[HL7Error]]

    /// LOINC codes Cordon reads.
    public static let qualitativeCode = "94500-6"
    public static let nGeneCode = "94510-5"
    public static let orf1abCode = "94511-3"

    /// Segments that may come before the first OBR (besides MSH) and in a patient group.
    static let headerSegments: Set<String> = ["SFT", "PID", "PD1", "NTE", "NK1", "PV1", "PV2", "ORC"]
    /// Segments that may follow an OBR within its group.
    static let groupSegments: Set<String> = ["NTE", "TQ1", "TQ2", "CTD", "OBX", "SPM", "FT1", "CTI"]

    /// Reads the message's results, or throws what makes the whole message unreadable.
    public init(_ message: HL7Message) throws(HL7Message.Unreadable) {
        func refuse(_ segment: String, _ sequence: Int, _ field: Int, _ code: Int, _ detail: String)
            -> HL7Message
            .Unreadable
        {
            HL7Message.Unreadable(segment: segment, sequence: sequence, field: field, code: code, detail: detail)
        }
        let (type, event) = (message.value("MSH", 9, 1), message.value("MSH", 9, 2))
        guard type == "ORU" else {
            throw refuse("MSH", 1, 9, 200, "Cordon takes ORU^R01 results; this is \(type)^\(event)")
        }
        guard event == "R01" else { throw refuse("MSH", 1, 9, 201, "Cordon takes ORU^R01; the event is \(event)") }
        controlId = message.value("MSH", 10)
        guard !controlId.isEmpty else { throw refuse("MSH", 1, 10, 101, "MSH-10 (message control id) is required") }
        let version = message.value("MSH", 12)
        guard version.hasPrefix("2.5") else {
            throw refuse("MSH", 1, 12, 203, "Cordon takes HL7 version 2.5.1; this is \(version)")
        }
        sendingApplication = message.value("MSH", 3)
        sendingFacility = message.value("MSH", 4)
        var groups: [(obr: HL7Message.Segment, sequence: Int, members: [(HL7Message.Segment, Int)])] = []
        var occurrences: [String: Int] = [:]
        var afterORC = false
        for segment in message.segments.dropFirst() {
            occurrences[segment.name, default: 0] += 1
            let sequence = occurrences[segment.name]!
            if segment.name.hasPrefix("Z") { continue }
            if segment.name == "MSH" {
                throw refuse("MSH", sequence + 1, 0, 100, "a second MSH: one message at a time")
            }
            if segment.name == "OBR" {
                groups.append((segment, sequence, []))
                afterORC = false
                continue
            }
            if afterORC { throw refuse(segment.name, sequence, 0, 100, "an ORC is followed by its OBR") }
            if segment.name == "ORC" { afterORC = true }
            if !groups.isEmpty, Self.groupSegments.contains(segment.name) {
                groups[groups.count - 1].members.append((segment, sequence))
                continue
            }
            if Self.headerSegments.contains(segment.name) { continue }
            throw refuse(
                segment.name, sequence, 0, 100,
                groups.isEmpty && Self.groupSegments.contains(segment.name)
                    ? "\(segment.name) before any OBR: results follow the OBR of their tube"
                    : "\(segment.name) is not a segment of ORU^R01 here")
        }
        if afterORC { throw refuse("ORC", occurrences["ORC"] ?? 1, 0, 100, "an ORC is followed by its OBR") }
        guard !groups.isEmpty else { throw refuse("OBR", 1, 0, 101, "the message has no OBR: no results") }
        var results: [ReceivedResult] = []
        var errors: [[HL7Error]] = []
        for (index, group) in groups.enumerated() {
            let (result, problems) = Self.read(group: group, ordinal: index + 1, message.delimiters)
            results.append(result)
            errors.append(problems)
        }
        self.results = results
        self.errors = errors
    }

    private static func read(
        group: (obr: HL7Message.Segment, sequence: Int, members: [(HL7Message.Segment, Int)]), ordinal: Int,
        _ d: HL7Message.Delimiters
    ) -> (ReceivedResult, [HL7Error]) {
        let spm = group.members.first { $0.0.name == "SPM" }?.0
        let obr = group.obr
        let accession = [spm?.value(2, 1, d) ?? "", obr.value(2, 1, d), obr.value(3, 1, d)].first { !$0.isEmpty } ?? ""
        var received = ReceivedResult(
            place: "OBR \(group.sequence)", accessionText: accession,
            raw: ([obr.text] + group.members.map(\.0.text)).joined(separator: "\r"))
        var problems: [HL7Error] = []
        func problem(_ segment: String, _ sequence: Int, _ field: Int, _ code: Int, _ detail: String) {
            problems.append(HL7Error(segment: segment, sequence: sequence, field: field, code: code, detail: detail))
        }
        if accession.isEmpty { problem("OBR", group.sequence, 2, 101, "no accession in SPM-2, OBR-2 or OBR-3") }
        received.sampled = (spm.map { hl7Time($0.value(17, 1, d)) } ?? nil) ?? hl7Time(obr.value(7, 1, d))
        received.tested = hl7Time(obr.value(22, 1, d))
        let observations = group.members.filter { $0.0.name == "OBX" }
        if observations.isEmpty { problem("OBR", group.sequence, 0, 101, "the OBR has no OBX: no result") }
        for (obx, sequence) in observations {
            let code = obx.value(3, 1, d)
            let value = obx.value(5, 1, d)
            switch code {
            case qualitativeCode:
                received.result = qualitative(value) ?? LabResultRow.result(obx.value(5, 2, d))
                if received.result == nil {
                    problem(
                        "OBX", sequence, 5, 103,
                        "'\(value.prefix(40))' is not Detected (260373001) or Not detected (260415000)")
                }
            case nGeneCode, orf1abCode:
                let units = obx.value(6, 1, d)
                if !units.isEmpty && units != "{Ct_value}" {
                    problem("OBX", sequence, 6, 103, "a Ct is in UCUM {Ct_value}, not \(units.prefix(20))")
                }
                switch LabResultRow.ct(value) {
                case .success(let ct):
                    if code == nGeneCode { received.nGeneCt = ct } else { received.orf1abCt = ct }
                case .failure(let issue): problem("OBX", sequence, 5, 102, issue.detail)
                }
            default:
                problem(
                    "OBX", sequence, 3, 103,
                    "unknown LOINC code \(code.prefix(20)); Cordon reads \(qualitativeCode), \(nGeneCode) and \(orf1abCode)"
                )
            }
        }
        if received.result == nil, !problems.contains(where: { $0.code == 103 && $0.field == 5 }) {
            problem("OBR", group.sequence, 0, 101, "no OBX with the qualitative result (\(qualitativeCode))")
        }
        received.unreadable = problems.map {
            FieldIssue(field: "\($0.segment)^\($0.sequence)^\($0.field)", detail: $0.detail)
        }
        return (received, problems)
    }

    /// SNOMED CT's codes for a qualitative result, as laboratories send them.
    static func qualitative(_ code: String) -> TestResultKind? {
        switch code {
        case "260373001", "10828004": .positive
        case "260415000", "260385009": .negative
        default: nil
        }
    }

    /// An HL7 DTM: YYYYMMDD[HHMM[SS[.S]]][+/-ZZZZ]; without an offset it is the site's time.
    static func hl7Time(_ text: String) -> LabTime? {
        var digits = Substring(text)
        var offset: Int?
        if let sign = digits.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let zone = digits[digits.index(after: sign)...]
            guard zone.count == 4, let hh = Int(zone.prefix(2)), let mm = Int(zone.suffix(2)) else { return nil }
            offset = (hh * 3600 + mm * 60) * (digits[sign] == "-" ? -1 : 1)
            digits = digits[..<sign]
        }
        if let dot = digits.firstIndex(of: ".") { digits = digits[..<dot] }
        guard [8, 12, 14].contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        func part(_ from: Int, _ length: Int) -> Int {
            guard digits.count >= from + length else { return 0 }
            let start = digits.index(digits.startIndex, offsetBy: from)
            return Int(digits[start..<digits.index(start, offsetBy: length)]) ?? 0
        }
        let local = LabTime.local(
            year: part(0, 4), month: part(4, 2), day: part(6, 2), hour: part(8, 2), minute: part(10, 2),
            second: part(12, 2))
        guard let offset else { return local }
        return local.date(in: TimeZone(secondsFromGMT: offset) ?? .gmt).map(LabTime.instant)
    }
}
