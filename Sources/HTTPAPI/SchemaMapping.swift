import CordonAPI
import Domain
import Foundation
import OpenAPIRuntime
import Services

/// Conversions between the spec's generated types and Domain values. Enums share raw values,
/// so each converts by its raw value.
extension RawRepresentable where RawValue == String {
    func converted<T: RawRepresentable>() -> T where T.RawValue == String {
        T(rawValue: rawValue)!
    }
}

enum ETag {
    /// The ETag header value of a record version.
    static func header(_ version: Int) -> String { "\"\(version)\"" }

    /// The version an `If-Match` names; a value that is not one of our ETags can never match.
    static func version(ifMatch: String?) -> Int? {
        guard var value = ifMatch?.trimmingCharacters(in: .whitespaces) else { return nil }
        if value.hasPrefix("W/") { value.removeFirst(2) }
        return Int(value.trimmingCharacters(in: CharacterSet(charactersIn: "\""))) ?? -1
    }
}

/// Parameters and body values as the handlers read them. A parameter that does not match its
/// declared schema (a path id of 0, `limit=0`, a date that is not one) is malformed: 400. A body
/// value that breaks a rule is 422, as every other rule of the domain.
enum Parse {
    /// A path or query id: a positive integer.
    /// A path id, typed by what it names (`Site.ID`, ...) as the call site expects.
    static func id<Tag>(_ value: Int64, _ field: String) throws -> Tagged<Tag, Int64> {
        guard value > 0 else { throw ProblemDetails.malformed(field, "must be a positive id") }
        return Tagged(rawValue: value)
    }

    /// A path id of something that has no record type of its own (a check-in code, a feed).
    static func id(_ value: Int64, _ field: String) throws -> Int64 {
        try (id(value, field) as Tagged<Void, Int64>).rawValue
    }

    static func uuid(_ value: String, _ field: String) throws -> UUID {
        guard let uuid = UUID(uuidString: value) else {
            throw ProblemDetails.malformed(field, "must be a UUID such as 0b6e7c1a-4d1f-4c1e-9a53-2f0c9d7e8a11")
        }
        return uuid
    }

    /// A date inside a JSON body.
    static func date(_ value: String?, _ field: String) throws -> CalendarDate? {
        guard let value else { return nil }
        guard let date = CalendarDate(value) else { throw DomainError.invalid(field, "must be a date as YYYY-MM-DD") }
        return date
    }

    /// A date in the query string: malformed is 400, a day outside Cordon's dates 422.
    static func queryDate(_ value: String?, _ field: String) throws -> CalendarDate? {
        guard let value else { return nil }
        guard let date = CalendarDate(value) else {
            throw ProblemDetails.malformed(field, "must be a date as YYYY-MM-DD")
        }
        var v = Validator()
        v.plannedDay(date, field)
        try v.finish()
        return date
    }

    /// A whole number in the query string, within its declared bounds.
    static func queryInt(_ value: Int?, _ field: String, _ bounds: ClosedRange<Int>) throws -> Int? {
        guard let value else { return nil }
        guard bounds.contains(value) else {
            throw ProblemDetails.malformed(field, "must be between \(bounds.lowerBound) and \(bounds.upperBound)")
        }
        return value
    }

    /// A page of a list: the cursor from a `next` link and a limit of 1 to 500.
    static func page(_ cursor: String?, _ limit: Int?) throws -> PageRequest {
        do {
            return try PageRequest(cursor: cursor, limit: limit)
        } catch DomainError.invalid(let issues) {
            throw ProblemDetails(
                .badRequest, slug: "malformed-request",
                detail: issues.map { "\($0.field): \($0.detail)" }.joined(separator: "; "), errors: issues)
        }
    }

    static func key(_ value: String?) throws -> IdempotencyKey? {
        try value.map(IdempotencyKey.init)
    }

    /// The link to the next page: this request's path and query with the cursor replaced.
    static func nextLink(_ path: String, _ query: [(String, String?)], cursor: String?) -> String? {
        guard let cursor else { return nil }
        var components = URLComponents()
        components.path = path
        components.queryItems =
            query.compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
            + [URLQueryItem(name: "cursor", value: cursor)]
        return components.string
    }
}

extension Components.Schemas.Site {
    init(_ s: Site) {
        self.init(
            id: s.id.rawValue, code: s.code, name: s.name, district: s.district, address: s.address,
            kind: s.kind.converted(),
            bedCapacity: s.bedCapacity, timeZone: s.timeZone.identifier, openedOn: s.openedOn?.description,
            closedOn: s.closedOn?.description, status: s.status.converted(), version: s.version)
    }
}

extension Components.Schemas.SiteInput {
    func draft() throws -> SiteDraft {
        SiteDraft(
            code: code, name: name, district: district, address: address ?? "", kind: kind.converted(),
            bedCapacity: bedCapacity, timeZone: timeZone ?? "Asia/Shanghai",
            openedOn: try Parse.date(openedOn, "openedOn"), closedOn: try Parse.date(closedOn, "closedOn"),
            status: status?.converted() ?? .open)
    }
}

extension Components.Schemas.Zone {
    init(_ z: Zone) {
        self.init(id: z.id.rawValue, siteId: z.siteId.rawValue, code: z.code, name: z.name, kind: z.kind.converted())
    }
}

extension Components.Schemas.Bed {
    init(_ b: Bed) {
        let a = b.attributes
        self.init(
            id: b.id.rawValue, siteId: b.siteId.rawValue, zoneId: b.zoneId.rawValue, code: b.code,
            status: b.status.converted(),
            attributes: .init(
                room: a.room, bay: a.bay, nearStation: a.nearStation, accessible: a.accessible, oxygen: a.oxygen,
                singleSex: a.singleSex?.converted()),
            version: b.version)
    }
}

extension BedAttributes {
    /// What a client sent; anything left out is unset or false.
    init(_ input: Components.Schemas.BedAttributesInput?) {
        self.init(
            room: input?.room, bay: input?.bay, nearStation: input?.nearStation ?? false,
            accessible: input?.accessible ?? false, oxygen: input?.oxygen ?? false,
            singleSex: input?.singleSex?.converted())
    }
}

extension Components.Schemas.Patient {
    init(_ p: Patient) {
        self.init(
            id: p.id.rawValue, siteId: p.siteId.rawValue, name: p.name, sex: p.sex.converted(),
            dateOfBirth: p.dateOfBirth?.description,
            ageYears: p.ageYears ?? 0, phone: p.phone, nationalId: p.nationalId, nationalIdMasked: p.nationalIdMasked,
            disclosure: p.disclosure.converted(),
            severity: p.severity.converted(), partyMember: p.partyMember, status: p.status.converted(),
            bedId: p.bedId?.rawValue,
            bedCode: p.bedCode, admittedAt: p.admittedAt, dischargedAt: p.dischargedAt,
            dischargeReason: p.dischargeReason?.converted(), version: p.version)
    }
}

extension Components.Schemas.AdmissionInput {
    func admission() throws -> Admission {
        guard let born = CalendarDate(dateOfBirth) else {
            throw DomainError.invalid("dateOfBirth", "must be a date as YYYY-MM-DD")
        }
        return Admission(
            name: name, sex: sex.converted(), dateOfBirth: born, phone: phone, nationalId: nationalId,
            severity: severity.converted(), partyMember: partyMember ?? false, bedId: Bed.ID(rawValue: bedId),
            admittedAt: admittedAt)
    }
}

extension Components.Schemas.TestResult {
    init(_ t: NucleicAcidTest) {
        self.init(
            id: t.id, patientId: t.patientId.rawValue, sampledAt: t.sampledAt, result: t.result.converted(),
            nGeneCt: t.nGeneCt, orf1abCt: t.orf1abCt, recordedAt: t.recordedAt)
    }
}

extension Components.Schemas.BedAssignment {
    init(_ a: BedAssignment) {
        self.init(
            id: a.id, patientId: a.patientId.rawValue, bedId: a.bedId.rawValue, bedCode: a.bedCode, from: a.from,
            until: a.until)
    }
}

extension Components.Schemas.BedCounts {
    init(_ c: BedCounts) {
        self.init(
            free: c.free, occupied: c.occupied, cleaning: c.cleaning, outOfService: c.outOfService, total: c.total)
    }
}

extension Components.Schemas.Census {
    init(_ c: Census) {
        self.init(
            siteId: c.siteId.rawValue,
            bedsByZone: c.bedsByZone.map {
                .init(
                    zoneId: $0.zoneId.rawValue, zoneCode: $0.zoneCode, zoneKind: $0.zoneKind.converted(),
                    beds: .init($0.beds))
            },
            totals: .init(c.totals), admittedPatients: c.admittedPatients,
            days: c.days.map { .init(date: $0.date.description, admissions: $0.admissions, discharges: $0.discharges) },
            eligibleForDischargeCount: c.eligibleForDischargeCount,
            eligibleForDischarge: c.eligibleForDischarge.map {
                .init(patientId: $0.patientId.rawValue, name: $0.name, bedCode: $0.bedCode)
            })
    }
}

extension Components.Schemas.AuditEntry {
    init(_ e: AuditEntry) throws {
        func json(_ text: String?) throws -> OpenAPIValueContainer? {
            try text.map { try JSONDecoder().decode(OpenAPIValueContainer.self, from: Data($0.utf8)) }
        }
        self.init(
            id: e.id, at: e.at, siteId: e.siteId?.rawValue, actorUserId: e.actorUserId, actorName: e.actorName,
            role: e.role,
            requestId: e.requestId, cliOperator: e.cliOperator, action: e.action, entity: e.entity,
            entityId: e.entityId,
            before: try json(e.before), after: try json(e.after))
    }
}
