import Foundation

/// A laboratory's FHIR R4 `transaction` or `batch` Bundle of DiagnosticReports and Observations,
/// read into one result per DiagnosticReport (Observations no report names are grouped by their
/// tube). The tube is the Specimen's accession identifier, referenced by identifier or through a
/// Specimen entry of the bundle. LOINC 94500-6 (qualitative), 94510-5 and 94511-3 (Ct, UCUM
/// `{Ct_value}`), as in HL7 v2.
public struct FHIRLabBundle: Sendable {
    /// `transaction` (all or nothing: an unreadable entry refuses the bundle) or `batch`.
    public var isTransaction: Bool
    public var entryCount: Int
    public var results: [ReceivedResult]
    /// The entries (0-based) each result was read from, for the response bundle.
    public var entries: [[Int]]

    /// The most entries a bundle may hold (1,000 results of four resources, with room to spare).
    public static let maximumEntries = 10_000

    /// Reads a bundle from its JSON, or throws `DomainError.invalid` naming what makes it no
    /// bundle of results. Only the few fields Cordon reads are decoded (`FHIRDocument`; the
    /// rest is checked as JSON and stepped over); the resources of a result that cannot be read
    /// are kept as sent, for the review queue.
    public init(data: Data) throws {
        let read: FHIRDocument?
        do {
            read = try FHIRDocument(json: [UInt8](data))
        } catch {
            throw DomainError.invalid("body", "is not JSON: reading stopped at byte offset \(error.offset)")
        }
        guard let bundle = read else { throw DomainError.invalid("body", "is not a JSON object") }
        guard bundle.resourceType == "Bundle" else { throw DomainError.invalid("resourceType", "must be Bundle") }
        switch bundle.type {
        case "transaction": isTransaction = true
        case "batch": isTransaction = false
        default: throw DomainError.invalid("type", "must be transaction or batch")
        }
        let entries = bundle.entry ?? []
        guard !entries.isEmpty else { throw DomainError.invalid("entry", "the bundle has no entries") }
        guard entries.count <= Self.maximumEntries else {
            throw DomainError.invalid("entry", "a bundle holds at most \(Self.maximumEntries) entries")
        }
        entryCount = entries.count
        var issues: [FieldIssue] = []
        var specimens: [String: String] = [:]
        var observations: [String: Int] = [:]
        for (index, entry) in entries.enumerated() {
            guard let resource = entry.resource else {
                issues.append(FieldIssue(field: "entry[\(index)].resource", detail: "is required"))
                continue
            }
            var names = [entry.fullUrl].compactMap { $0 }
            if let type = resource.resourceType, let id = resource.id { names.append("\(type)/\(id)") }
            switch resource.resourceType {
            case "Specimen":
                let accession = resource.identifier?.first?.value ?? resource.accessionIdentifier?.value
                for name in names { specimens[name] = accession ?? "" }
            case "Observation":
                for name in names { observations[name] = index }
            case "DiagnosticReport": break
            default:
                issues.append(
                    FieldIssue(
                        field: "entry[\(index)].resource.resourceType",
                        detail: "must be DiagnosticReport, Observation or Specimen"))
            }
        }
        if !issues.isEmpty { throw DomainError.invalid(issues) }
        func resource(_ index: Int) -> FHIRDocument.Resource { entries[index].resource! }
        var results: [ReceivedResult] = []
        var groups: [[Int]] = []
        var claimed = Set<Int>()
        for index in entries.indices where resource(index).resourceType == "DiagnosticReport" {
            let report = resource(index)
            let members = (report.result ?? []).map { reference in reference.reference.flatMap { observations[$0] } }
            var result = ReceivedResult(
                place: "entry \(index)", accessionText: Self.accession(report.specimen?.first, specimens) ?? "",
                raw: "")
            result.tested = report.issued.flatMap(LabResultRow.time)
            var unreadable: [FieldIssue] = []
            if members.isEmpty {
                unreadable.append(FieldIssue(field: "entry[\(index)].resource.result", detail: "names no Observation"))
            }
            for (n, member) in members.enumerated() {
                guard let member else {
                    unreadable.append(
                        FieldIssue(
                            field: "entry[\(index)].resource.result[\(n)]",
                            detail: "must reference an Observation of this bundle"))
                    continue
                }
                claimed.insert(member)
                if result.accessionText.isEmpty {
                    result.accessionText = Self.accession(resource(member).specimen?.first, specimens) ?? ""
                }
                Self.read(resource(member), at: member, into: &result, &unreadable)
            }
            result.unreadable += unreadable
            if result.accessionText.isEmpty {
                result.unreadable.append(
                    FieldIssue(field: "entry[\(index)].resource.specimen", detail: "names no tube's accession"))
            }
            results.append(result)
            groups.append([index] + members.compactMap { $0 })
        }
        // Observations no report names: one result per tube.
        var loose: [String: Int] = [:]
        for index in entries.indices where resource(index).resourceType == "Observation" && !claimed.contains(index) {
            let accession = Self.accession(resource(index).specimen?.first, specimens) ?? ""
            let at: Int
            if let known = loose[accession] {
                at = known
            } else {
                at = results.count
                loose[accession] = at
                results.append(ReceivedResult(place: "entry \(index)", accessionText: accession, raw: ""))
                groups.append([])
            }
            var unreadable: [FieldIssue] = []
            Self.read(resource(index), at: index, into: &results[at], &unreadable)
            results[at].unreadable += unreadable
            groups[at].append(index)
        }
        // What the review queue keeps: the resources as sent when something in them could not be
        // read (the body parsed again, only then), else what was read of them.
        let sent =
            results.contains { !$0.unreadable.isEmpty }
            ? ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any])?["entry"] as? [Any] : nil
        for at in results.indices {
            if let sent, !results[at].unreadable.isEmpty {
                results[at].raw = groups[at].compactMap { index in
                    ((sent[index] as? [String: Any])?["resource"] as? [String: Any]).map(Self.text)
                }.joined(separator: "\n")
            } else {
                results[at].raw = Self.summary(results[at])
            }
        }
        self.results = results
        self.entries = groups
    }

    /// Reads one Observation's analyte into `result`.
    static func read(
        _ observation: FHIRDocument.Resource, at index: Int, into result: inout ReceivedResult,
        _ issues: inout [FieldIssue]
    ) {
        let field = "entry[\(index)].resource"
        let loinc = observation.code?.coding?.first { $0.system == "http://loinc.org" }?.code
        switch loinc {
        case ORUResults.qualitativeCode:
            let concept = observation.valueCodeableConcept
            result.result =
                ORUResults.qualitative(concept?.coding?.first?.code ?? "")
                ?? LabResultRow.result(concept?.text ?? observation.valueString ?? "")
            if result.result == nil {
                issues.append(
                    FieldIssue(
                        field: "\(field).valueCodeableConcept",
                        detail: "must be SNOMED CT 260373001 (Detected) or 260415000 (Not detected)"))
            }
        case ORUResults.nGeneCode, ORUResults.orf1abCode:
            guard let quantity = observation.valueQuantity else {
                // Not detected: an Observation with a dataAbsentReason and no value.
                if !observation.hasDataAbsentReason {
                    issues.append(
                        FieldIssue(field: "\(field).valueQuantity", detail: "is required (or dataAbsentReason)"))
                }
                return
            }
            if let unit = quantity.code, unit != "{Ct_value}" {
                issues.append(FieldIssue(field: "\(field).valueQuantity.code", detail: "must be UCUM {Ct_value}"))
            }
            guard let value = quantity.value, value.isFinite, NucleicAcidTestEntry.ctRange.contains(value) else {
                issues.append(
                    FieldIssue(field: "\(field).valueQuantity.value", detail: "must be a number from 0 to 50"))
                return
            }
            if loinc == ORUResults.nGeneCode { result.nGeneCt = value } else { result.orf1abCt = value }
        default:
            issues.append(
                FieldIssue(
                    field: "\(field).code",
                    detail:
                        "unknown LOINC code \(loinc ?? "(none)"); Cordon reads \(ORUResults.qualitativeCode), \(ORUResults.nGeneCode) and \(ORUResults.orf1abCode)"
                ))
        }
        if let sampled = observation.effectiveDateTime.flatMap(LabResultRow.time), result.sampled == nil {
            result.sampled = sampled
        }
    }

    /// The accession a Reference names: by identifier, or through a Specimen of the bundle.
    static func accession(_ reference: FHIRDocument.Reference?, _ specimens: [String: String]) -> String? {
        guard let reference else { return nil }
        if let value = reference.identifier?.value { return value }
        return reference.reference.flatMap { specimens[$0] }
    }

    /// What was read of a result whose resources could all be read, as the review queue keeps it.
    static func summary(_ r: ReceivedResult) -> String {
        let ct = { (v: Double?) in v.map { String($0) } ?? "-" }
        return
            "\(r.place): specimen \(r.accessionText); \(ORUResults.qualitativeCode) \(r.result?.rawValue ?? "-"); \(ORUResults.nGeneCode) \(ct(r.nGeneCt)); \(ORUResults.orf1abCode) \(ct(r.orf1abCt))"
    }

    static func text(_ resource: [String: Any]) -> String {
        (try? JSONSerialization.data(withJSONObject: resource, options: [.sortedKeys]))
            .map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}

extension FHIRLabBundle {
    /// The response Bundle: one entry per entry sent, in order, each with its status, and an
    /// OperationOutcome for a result held for review (202) or refused as unreadable (400).
    public func response(_ intake: ResultIntake) -> Data {
        // Written as text: a bundle of 5,000 entries is mostly the same few statuses.
        var entries = Array(repeating: #"{"response":{"status":"200 OK"}}"#, count: entryCount)
        for (receipt, group) in zip(intake.receipts, self.entries) {
            let entry: String
            switch receipt.outcome {
            case .recorded: entry = #"{"response":{"status":"201 Created"}}"#
            case .unchanged: entry = #"{"response":{"status":"200 OK"}}"#
            case .held(let reason, let detail):
                let (status, severity, code) =
                    switch reason {
                    case .invalid: ("400 Bad Request", "error", "invalid")
                    case .unknownAccession: ("202 Accepted", "warning", "not-found")
                    case .contradicts: ("202 Accepted", "warning", "conflict")
                    default: ("202 Accepted", "warning", "business-rule")
                    }
                let issue: [String: Any] = [
                    "severity": severity, "code": code,
                    "diagnostics": reason == .invalid ? detail : "held for review (\(reason.rawValue)): \(detail)",
                ]
                let response: [String: Any] = [
                    "response": ["status": status, "outcome": ["resourceType": "OperationOutcome", "issue": [issue]]]
                ]
                entry =
                    (try? JSONSerialization.data(withJSONObject: response, options: [.sortedKeys]))
                    .map { String(decoding: $0, as: UTF8.self) }
                    ?? #"{"response":{"status":"500 Internal Server Error"}}"#
            }
            for index in group where index < entryCount { entries[index] = entry }
        }
        let type = isTransaction ? "transaction-response" : "batch-response"
        return Data(
            (#"{"entry":["# + entries.joined(separator: ",") + #"],"resourceType":"Bundle","type":""# + type + #""}"#)
                .utf8)
    }
}
