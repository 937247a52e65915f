import Domain
import Foundation
import Storage

/// The forms results arrive in: each is read into `ReceivedResult`s, and `record` does the rest.
extension LabResultService {
    /// Reads a laboratory's result spreadsheet. Unlike a transfer list it is not all or nothing:
    /// good rows are recorded, and every other row is queued for review and named by line.
    public func importCSV(_ text: String, laboratoryCode: String?, siteId: Site.ID?, actor: Actor) async throws
        -> ResultIntake
    {
        let sender = try await sender(laboratoryCode: laboratoryCode, siteId: siteId, actor: actor)
        let table = try CSVTable(text, required: LabResultRow.required, optional: LabResultRow.optional)
        var received = table.rows.map { row in
            LabResultRow.read(
                row.fields, line: row.line, raw: table.header.map { row.fields[$0] ?? "" }.joined(separator: ","))
        }
        for (line, cells) in table.unevenRows {
            received.append(
                ReceivedResult(
                    place: "line \(line)", accessionText: cells.first ?? "", raw: cells.joined(separator: ","),
                    unreadable: [
                        FieldIssue(
                            field: "line", detail: "has \(cells.count) fields; the header has \(table.header.count)")
                    ]))
        }
        received.sort { (Int($0.place.dropFirst(5)) ?? 0) < (Int($1.place.dropFirst(5)) ?? 0) }
        return try await record(received, form: .csv, from: sender, actor: actor)
    }

    /// Takes one ORU^R01 message from a laboratory's system signed in over HTTP (or an admin, for
    /// the laboratory MSH-4 names) and answers its ACK.
    public func takeHL7(_ text: String, actor: Actor) async throws -> String {
        guard actor.laboratoryId != nil || actor.isAdmin else {
            throw DomainError.forbidden("only a laboratory's system sends results")
        }
        return try await takeHL7(text) { oru in
            do {
                let code = oru.sendingFacility.isEmpty ? nil : oru.sendingFacility
                return (try await sender(laboratoryCode: code, siteId: nil, actor: actor), actor)
            } catch DomainError.forbidden(let why) {
                throw HL7Error(segment: "MSH", sequence: 1, field: 4, code: 204, detail: why)
            } catch DomainError.invalid(let issues) {
                throw HL7Error(
                    segment: "MSH", sequence: 1, field: 4, code: 204, detail: issues.first?.detail ?? "no laboratory")
            }
        }
    }

    /// The laboratory an MLLP connection's messages name (MSH-4), and the integration user it
    /// acts as; looked up once per connection.
    public struct LinkedLaboratory: Sendable {
        var code: String
        var sender: Sender
        var actor: Actor
    }

    /// Takes one ORU^R01 message from the MLLP listener: the laboratory is the one MSH-4 names,
    /// acting as its integration user. Answers the ACK, and the laboratory for the connection's
    /// next message.
    public func takeHL7(_ text: String, from address: String?, linked: LinkedLaboratory?) async throws
        -> (ack: String, linked: LinkedLaboratory?)
    {
        var found = linked
        let ack = try await takeHL7(text) { oru in
            let code = oru.sendingFacility
            if let linked, linked.code == code { return (linked.sender, linked.actor) }
            let link =
                code.isEmpty
                ? nil
                : try await database.read(.system("mllp")) { tx in try await tx.laboratories.link(code: code) }
            guard let link else {
                throw HL7Error(
                    segment: "MSH", sequence: 1, field: 4, code: 204,
                    detail: "MSH-4 must be the code of a laboratory Cordon knows; '\(code.prefix(32))' is not")
            }
            let actor = Actor(
                userId: link.userId, username: link.username, grants: [], origin: .mllp(address: address),
                laboratoryId: link.laboratory.id)
            found = LinkedLaboratory(code: code, sender: Sender(laboratory: link.laboratory, siteId: nil), actor: actor)
            return (found!.sender, actor)
        }
        return (ack, found)
    }

    private func takeHL7(_ text: String, sender: (ORUResults) async throws -> (Sender, Actor)) async throws -> String {
        let message: HL7Message
        let oru: ORUResults
        do {
            message = try HL7Message(text)
            oru = try ORUResults(message)
        } catch {
            let parsed = try? HL7Message(text)
            return HL7Acknowledgement.make(.rejected, answering: parsed, errors: [error.error])
        }
        let from: (Sender, Actor)
        do {
            from = try await sender(oru)
        } catch let error as HL7Error {
            return HL7Acknowledgement.make(.rejected, answering: message, errors: [error])
        }
        let intake = try await record(oru.results, form: .hl7v2, from: from.0, actor: from.1)
        let errors = zip(intake.receipts, oru.errors).flatMap { HL7Acknowledgement.error(for: $0, unreadable: $1) }
        return HL7Acknowledgement.make(intake.held == 0 ? .accepted : .error, answering: message, errors: errors)
    }
}

extension HL7Error: Error {}

extension LabResultService {
    /// Takes a FHIR R4 Bundle of results from a laboratory's system (or an admin naming the
    /// laboratory) and answers the response Bundle. A `transaction` with an unreadable entry is
    /// refused whole, each such entry named; a `batch` takes what it can.
    public func takeFHIR(_ body: Data, laboratoryCode: String?, actor: Actor) async throws -> Data {
        guard actor.laboratoryId != nil || actor.isAdmin else {
            throw DomainError.forbidden("only a laboratory's system sends results")
        }
        let from = try await sender(laboratoryCode: laboratoryCode, siteId: nil, actor: actor)
        let bundle = try FHIRLabBundle(data: body)
        if bundle.isTransaction {
            let issues = bundle.results.flatMap { result -> [FieldIssue] in
                guard case .failure(DomainError.invalid(let issues)) = result.checked() else { return [] }
                return issues.map {
                    FieldIssue(
                        field: $0.field.hasPrefix("entry[") ? $0.field : "\(result.place): \($0.field)",
                        detail: $0.detail)
                }
            }
            if !issues.isEmpty { throw DomainError.invalid(issues) }
        }
        return bundle.response(try await record(bundle.results, form: .fhir, from: from, actor: actor))
    }
}
