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

    /// Reads a bundle, or throws `DomainError.invalid` naming what makes it no bundle of results.
    public init(json: Any) throws {
        guard let bundle = json as? [String: Any], bundle["resourceType"] as? String == "Bundle" else {
            throw DomainError.invalid("resourceType", "must be Bundle")
        }
        switch bundle["type"] as? String {
        case "transaction": isTransaction = true
        case "batch": isTransaction = false
        default: throw DomainError.invalid("type", "must be transaction or batch")
        }
        let entries = bundle["entry"] as? [Any] ?? []
        guard !entries.isEmpty else { throw DomainError.invalid("entry", "the bundle has no entries") }
        guard entries.count <= Self.maximumEntries else {
            throw DomainError.invalid("entry", "a bundle holds at most \(Self.maximumEntries) entries")
        }
        entryCount = entries.count
        var resources: [(index: Int, resource: [String: Any], fullUrl: String?)] = []
        var issues: [FieldIssue] = []
        for (index, entry) in entries.enumerated() {
            guard let entry = entry as? [String: Any], let resource = entry["resource"] as? [String: Any] else {
                issues.append(FieldIssue(field: "entry[\(index)].resource", detail: "is required"))
                continue
            }
            resources.append((index, resource, entry["fullUrl"] as? String))
        }
        if !issues.isEmpty { throw DomainError.invalid(issues) }
        var specimens: [String: String] = [:]
        var observations: [String: (index: Int, resource: [String: Any])] = [:]
        for (index, resource, fullUrl) in resources {
            let type = resource["resourceType"] as? String
            var names = [fullUrl].compactMap { $0 }
            if let type, let id = resource["id"] as? String { names.append("\(type)/\(id)") }
            switch type {
            case "Specimen":
                let accession =
                    Self.identifier(resource["identifier"]) ?? Self.identifier(resource["accessionIdentifier"])
                for name in names { specimens[name] = accession ?? "" }
            case "Observation":
                for name in names { observations[name] = (index, resource) }
            case "DiagnosticReport": break
            default:
                issues.append(
                    FieldIssue(
                        field: "entry[\(index)].resource.resourceType",
                        detail: "must be DiagnosticReport, Observation or Specimen"))
            }
        }
        if !issues.isEmpty { throw DomainError.invalid(issues) }
        var results: [ReceivedResult] = []
        var groups: [[Int]] = []
        var claimed = Set<Int>()
        for (index, resource, _) in resources where resource["resourceType"] as? String == "DiagnosticReport" {
            let members = (resource["result"] as? [Any] ?? []).map { reference -> (Int, [String: Any])? in
                guard let name = (reference as? [String: Any])?["reference"] as? String else { return nil }
                return observations[name].map { ($0.index, $0.resource) }
            }
            var result = ReceivedResult(
                place: "entry \(index)",
                accessionText: Self.accession((resource["specimen"] as? [Any])?.first, specimens) ?? "", raw: "")
            result.tested = (resource["issued"] as? String).flatMap(LabResultRow.time)
            var unreadable: [FieldIssue] = []
            if members.isEmpty {
                unreadable.append(FieldIssue(field: "entry[\(index)].resource.result", detail: "names no Observation"))
            }
            for (n, member) in members.enumerated() {
                guard let (observationIndex, observation) = member else {
                    unreadable.append(
                        FieldIssue(
                            field: "entry[\(index)].resource.result[\(n)]",
                            detail: "must reference an Observation of this bundle"))
                    continue
                }
                claimed.insert(observationIndex)
                if result.accessionText.isEmpty {
                    result.accessionText = Self.accession(observation["specimen"], specimens) ?? ""
                }
                Self.read(observation, at: observationIndex, into: &result, &unreadable)
            }
            result.unreadable += unreadable
            if result.accessionText.isEmpty {
                result.unreadable.append(
                    FieldIssue(field: "entry[\(index)].resource.specimen", detail: "names no tube's accession"))
            }
            // The resources as sent when something could not be read; else what was read of them
            // (serialising 5,000 resources a bundle costs more than the rest of the reading).
            result.raw =
                result.unreadable.isEmpty
                ? Self.summary(result)
                : ([Self.text(resource)] + members.compactMap { $0.map { Self.text($0.1) } }).joined(separator: "\n")
            results.append(result)
            groups.append([index] + members.compactMap { $0?.0 })
        }
        // Observations no report names: one result per tube.
        var loose: [String: Int] = [:]
        for (index, resource, _) in resources
        where resource["resourceType"] as? String == "Observation" && !claimed.contains(index) {
            let accession = Self.accession(resource["specimen"], specimens) ?? ""
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
            Self.read(resource, at: index, into: &results[at], &unreadable)
            results[at].unreadable += unreadable
            if !unreadable.isEmpty { results[at].raw += (results[at].raw.isEmpty ? "" : "\n") + Self.text(resource) }
            groups[at].append(index)
        }
        for at in results.indices where results[at].raw.isEmpty { results[at].raw = Self.summary(results[at]) }
        self.results = results
        self.entries = groups
    }

    /// Reads one Observation's analyte into `result`.
    static func read(
        _ observation: [String: Any], at index: Int, into result: inout ReceivedResult, _ issues: inout [FieldIssue]
    ) {
        let field = "entry[\(index)].resource"
        let codings = ((observation["code"] as? [String: Any])?["coding"] as? [Any] ?? []).compactMap {
            $0 as? [String: Any]
        }
        let loinc = codings.first { ($0["system"] as? String) == "http://loinc.org" }?["code"] as? String
        switch loinc {
        case ORUResults.qualitativeCode:
            let concept = observation["valueCodeableConcept"] as? [String: Any]
            let coding = (concept?["coding"] as? [Any])?.first as? [String: Any]
            result.result =
                ORUResults.qualitative(coding?["code"] as? String ?? "")
                ?? LabResultRow.result(concept?["text"] as? String ?? (observation["valueString"] as? String ?? ""))
            if result.result == nil {
                issues.append(
                    FieldIssue(
                        field: "\(field).valueCodeableConcept",
                        detail: "must be SNOMED CT 260373001 (Detected) or 260415000 (Not detected)"))
            }
        case ORUResults.nGeneCode, ORUResults.orf1abCode:
            guard let quantity = observation["valueQuantity"] as? [String: Any] else {
                // Not detected: an Observation with a dataAbsentReason and no value.
                if observation["dataAbsentReason"] == nil {
                    issues.append(
                        FieldIssue(field: "\(field).valueQuantity", detail: "is required (or dataAbsentReason)"))
                }
                return
            }
            if let unit = quantity["code"] as? String, unit != "{Ct_value}" {
                issues.append(FieldIssue(field: "\(field).valueQuantity.code", detail: "must be UCUM {Ct_value}"))
            }
            let number = quantity["value"] as? NSNumber
            // JSON's true and false come as numbers too ("c"): they are no Ct.
            let value = number.flatMap { String(cString: $0.objCType) == "c" ? nil : $0.doubleValue }
            guard let value, value.isFinite, NucleicAcidTestEntry.ctRange.contains(value) else {
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
        if let sampled = (observation["effectiveDateTime"] as? String).flatMap(LabResultRow.time), result.sampled == nil
        {
            result.sampled = sampled
        }
    }

    /// The accession a Reference names: by identifier, or through a Specimen of the bundle.
    static func accession(_ reference: Any?, _ specimens: [String: String]) -> String? {
        guard let reference = reference as? [String: Any] else { return nil }
        if let value = identifier(reference["identifier"]) { return value }
        return (reference["reference"] as? String).flatMap { specimens[$0] }
    }

    /// The value of an Identifier, or of the first of a list of them.
    static func identifier(_ any: Any?) -> String? {
        if let one = any as? [String: Any] { return one["value"] as? String }
        return ((any as? [Any])?.first as? [String: Any])?["value"] as? String
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
