import Domain
import Foundation
import PostgresNIO

// Statements on the hot paths (every request's token lookup, and the census), prepared once
// per connection so PostgreSQL parses and plans them once rather than on every call.

/// A statement whose one parameter is the site id.
protocol SiteScopedStatement: PostgresPreparedStatement {
    var siteId: Site.ID { get }
}

extension SiteScopedStatement {
    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(siteId)
        return bindings
    }
}

/// The live user behind a token hash, one row per grant.
struct TokenUserStatement: PostgresPreparedStatement {
    static let sql = """
        SELECT u.id, u.username, u.display_name, g.role, g.site_id, h.hospital_id
        FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN grants g ON g.user_id = u.id
        LEFT JOIN hospital_users h ON h.user_id = u.id
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())
        """
    typealias Row = (Int64, String, String, String?, Site.ID?, Hospital.ID?)
    var tokenHash: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(tokenHash)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

/// Beds per zone and status of one site.
struct BedsByZoneStatement: SiteScopedStatement {
    static let sql = """
        SELECT z.id, z.code, z.kind, b.status, count(b.id)::int
        FROM zones z LEFT JOIN beds b ON b.site_id = z.site_id AND b.zone_id = z.id
        WHERE z.site_id = $1
        GROUP BY z.id, z.code, z.kind, b.status
        ORDER BY z.id
        """
    typealias Row = (Zone.ID, String, String, String?, Int)
    var siteId: Site.ID

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

/// Admissions and discharges per calendar day in a time zone.
struct MovementsStatement: PostgresPreparedStatement {
    static let sql = """
        WITH days AS (
            SELECT d::date AS day,
                   d::timestamp AT TIME ZONE $2 AS starts,
                   (d + interval '1 day')::timestamp AT TIME ZONE $2 AS ends
            FROM generate_series($3::date, $4::date, interval '1 day') AS d
        )
        SELECT days.day::text,
               (SELECT count(*)::int FROM patients p WHERE p.site_id = $1
                    AND p.admitted_at >= days.starts AND p.admitted_at < days.ends),
               (SELECT count(*)::int FROM patients p WHERE p.site_id = $1
                    AND p.discharged_at >= days.starts AND p.discharged_at < days.ends)
        FROM days ORDER BY days.day
        """
    typealias Row = (String, Int, Int)
    var siteId: Site.ID
    var timeZone: String
    var from: String
    var through: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 4)
        bindings.append(siteId)
        bindings.append(timeZone)
        bindings.append(from)
        bindings.append(through)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

/// Admitted patients of a site with their current bed code.
struct AdmittedPatientsStatement: SiteScopedStatement {
    static let sql = """
        SELECT p.id, p.name, b.code
        FROM patients p
        LEFT JOIN bed_assignments a ON a.site_id = p.site_id AND a.patient_id = p.id AND upper_inf(a.during)
        LEFT JOIN beds b ON b.site_id = a.site_id AND b.id = a.bed_id
        WHERE p.site_id = $1 AND p.status = 'admitted'
        ORDER BY p.id
        """
    typealias Row = (Patient.ID, String, String?)
    var siteId: Site.ID

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

/// The tests of every admitted patient of a site.
struct TestsOfAdmittedStatement: SiteScopedStatement {
    static let sql = """
        SELECT t.id, t.patient_id, t.sampled_at, t.result, t.n_gene_ct, t.orf1ab_ct, t.recorded_at
        FROM nucleic_acid_tests t
        JOIN patients p ON p.site_id = t.site_id AND p.id = t.patient_id
        WHERE t.site_id = $1 AND p.status = 'admitted'
        ORDER BY t.patient_id, t.sampled_at, t.id
        """
    typealias Row = (Int64, Patient.ID, Date, String, Double?, Double?, Date)
    var siteId: Site.ID

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

/// One audit entry: every write runs it. Types are declared so NULLs never decide them.
struct AuditAppendStatement: PostgresPreparedStatement {
    static let sql = """
        INSERT INTO audit_log (site_id, actor_user_id, actor_name, role, request_id, cli_operator, action, entity, entity_id, before, after)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb)
        """
    static let bindingDataTypes: [PostgresDataType] = [
        .int8, .int8, .text, .text, .text, .text, .text, .text, .text, .text, .text,
    ]
    typealias Row = Void
    var siteId: Site.ID?, actorUserId: Int64?, actorName: String, role: String, requestId: String?, cliOperator: String?
    var action: String, entity: String, entityId: String?, before: String?, after: String?

    func makeBindings() throws -> PostgresBindings {
        var b = PostgresBindings(capacity: 11)
        b.append(siteId)
        b.append(actorUserId)
        b.append(actorName)
        b.append(role)
        b.append(requestId)
        b.append(cliOperator)
        b.append(action)
        b.append(entity)
        b.append(entityId)
        b.append(before)
        b.append(after)
        return b
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {}
}

/// One stock ledger line.
struct LedgerAppendStatement: PostgresPreparedStatement {
    static let sql = """
        INSERT INTO stock_ledger (site_id, kind, medication_id, lot_id, location_id, quantity_change, balance_after, counted_quantity,
                                  reason, document_number, patient_id, care_activity_id, movement_id, actor_user_id, actor_name, occurred_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
        RETURNING id
        """
    static let bindingDataTypes: [PostgresDataType] = [
        .int8, .text, .int8, .int8, .int8, .int4, .int4, .int4, .text, .text, .int8, .int8,
        .uuid, .int8, .text, .timestamptz,
    ]
    typealias Row = Int64
    var siteId: Site.ID
    var line: StockRepository.LedgerLine
    var actorUserId: Int64?
    var actorName: String

    func makeBindings() throws -> PostgresBindings {
        var b = PostgresBindings(capacity: 16)
        b.append(siteId)
        b.append(line.kind.rawValue)
        b.append(line.medicationId)
        b.append(line.lotId)
        b.append(line.locationId)
        b.append(Int32(line.change))
        b.append(Int32(line.balanceAfter))
        b.append(line.countedQuantity.map(Int32.init))
        b.append(line.reason)
        b.append(line.documentNumber)
        b.append(line.patientId)
        b.append(line.careActivityId)
        b.append(line.movementId)
        b.append(actorUserId)
        b.append(actorName)
        b.append(line.occurredAt)
        return b
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Int64.self) }
}

/// The balances of one medicine at one location, locked, in FEFO order.
struct LockStockStatement: PostgresPreparedStatement {
    static let sql = """
        SELECT l.id, l.lot_number, l.medication_id, b.location_id, l.expires_on::text, b.quantity
        FROM stock_balances b JOIN stock_lots l ON l.site_id = b.site_id AND l.id = b.lot_id
        WHERE b.site_id = $1 AND b.location_id = $2 AND l.medication_id = $3
        ORDER BY l.expires_on, l.id
        FOR UPDATE OF b
        """
    typealias Row = (Int64, String, Medication.ID, StockLocation.ID, String, Int)
    var siteId: Site.ID, locationId: StockLocation.ID, medicationId: Medication.ID

    func makeBindings() throws -> PostgresBindings {
        var b = PostgresBindings(capacity: 3)
        b.append(siteId)
        b.append(locationId)
        b.append(medicationId)
        return b
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}
