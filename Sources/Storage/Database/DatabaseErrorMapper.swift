import Domain
import PostgresNIO

/// Turns a constraint violation that slipped past the domain checks into the same clear
/// `DomainError` the domain would have raised, by SQLSTATE and constraint name.
public enum DatabaseErrorMapper {
    /// What each named constraint means to a person, and which field it concerns.
    static let constraints: [String: (field: String?, detail: String)] = [
        "sites_code_key": ("code", "a site with this code already exists"),
        "dose_omissions_once": ("time", "this dose is already recorded as not given"),
        "zones_code_key": ("code", "a zone with this code already exists at this site"),
        "beds_code_key": ("code", "a bed with this code already exists at this site"),
        "laboratories_code_key": (
            "code", "a laboratory with this code already exists (codes are the same whatever their case)"
        ),
        "beds_zone_fkey": ("zoneId", "no such zone at this site"),
        "beds_place_one_zone": ("attributes.room", "this room or bay already has beds in another zone"),
        "beds_place_one_sex": (
            "attributes.singleSex",
            "the room or bay is kept for another sex, or for none; set it on one of its beds to change it for all"
        ),
        "beds_occupant_single_sex": ("singleSex", "a bed of this room or bay holds a patient of the other sex"),
        "bed_assignments_single_sex": ("bedId", "the bed is in a room or bay kept for the other sex"),
        "intake_batches_reference_key": ("reference", "a transfer list with this reference was already accepted here"),
        "intake_persons_expected_key": (
            "persons", "someone on the list is already expected here: another list naming them was accepted meanwhile"
        ),
        "intake_persons_bed_key": ("bedId", "the bed is held for someone else expected"),
        "patients_admitted_national_id_key": (
            "nationalId", "a patient with this ID number is already admitted at this site"
        ),
        "bed_assignments_bed_overlap": ("bedId", "the bed is already held by another patient at that time"),
        "bed_assignments_patient_overlap": ("patientId", "the patient already holds a bed at that time"),
        "users_username_key": ("username", "a user with this username already exists"),
        "users_username_format": ("username", "must be 2-64 lower-case letters, digits, dots, dashes or underscores"),
        "grants_site_role_key": ("role", "the user already holds this role at this site"),
        "grants_admin_key": ("role", "the user is already an admin"),
        "grants_site_scope": (
            "site", "admin is granted without a site, a district commander for a district, every other role at a site"
        ),
        "grants_district_role_key": ("role", "the user already commands this district"),
        "sites_bed_capacity_check": ("bedCapacity", "must be 0 or more"),
        "sites_closed_after_opened": ("closedOn", "must not be before openedOn"),
        "nucleic_acid_tests_n_gene_ct_check": ("nGeneCt", "must be between 0 and 50"),
        "nucleic_acid_tests_orf1ab_ct_check": ("orf1abCt", "must be between 0 and 50"),
        "patients_discharge_consistent": ("dischargedAt", "must not be before the admission"),
        "patients_national_id_format": ("nationalId", "must be 17 digits followed by a digit or X"),
        "medications_code_key": ("code", "a medication with this code is already in the catalogue"),
        "stock_locations_code_key": ("code", "a stock location with this code already exists at this site"),
        "stock_locations_zone_fkey": ("zone", "no such zone at this site"),
        "stock_balances_never_negative": ("quantity", "more than is on the shelf; stock never goes below zero"),
        "stock_ledger_balance_check": ("quantity", "more than is on the shelf; stock never goes below zero"),
        "teams_name_key": ("name", "a team with this name already exists at this site"),
        "teams_departs_after_arrival": ("departsOn", "must not be before arrivesOn"),
        "teams_leader_fkey": ("leaderStaffId", "no such member of staff at this site"),
        "staff_code_key": ("code", "a member of staff with this work number already exists at this site"),
        "staff_team_fkey": ("teamId", "no such team at this site"),
        "staff_user_per_site": ("user", "this user is already linked to another member of staff at this site"),
        "staff_trainings_staff_fkey": ("staffId", "no such member of staff at this site"),
        "staff_trainings_expiry_after_gain": ("expiresOn", "must not be before gainedOn"),
        "shift_templates_name_key": ("name", "a shift template with this name already exists at this site"),
        "shift_templates_zone_fkey": ("zoneId", "no such zone at this site"),
        "shifts_zone_fkey": ("zoneId", "no such zone at this site"),
        "shifts_slot_key": ("startsAt", "the same shift (zone, role, start and end) already exists"),
        "shifts_ends_after_start": ("endsAt", "must be after startsAt and at most 24 hours later"),
        "shift_assignments_no_overlap": ("staffId", "the person is already on a shift that overlaps this one"),
        "shift_assignments_staff_fkey": ("staffId", "no such member of staff at this site"),
        "shift_assignments_shift_fkey": ("shiftId", "no such shift at this site"),
        "calendar_feeds_staff_fkey": ("staffId", "no such member of staff at this site"),
        "party_branches_one_active": ("name", "the site already has an active branch; dissolve it first"),
        "party_branches_dissolved_consistent": ("dissolvedOn", "must not be before the branch was established"),
        "branch_officers_one_secretary": ("office", "the branch already has a sitting secretary"),
        "branch_officers_staff_fkey": ("staffId", "no such member of staff at this site"),
        "branch_officers_dates": ("untilOn", "must not be before fromOn"),
        "branch_members_staff_key": ("staffId", "this member of staff is already a member of the branch"),
        "branch_members_staff_fkey": ("staffId", "no such member of staff at this site"),
        "branch_checkins_patient_key": ("code", "this patient has already checked in; nothing was changed"),
        "branch_tasks_zone_fkey": ("zoneId", "no such zone at this site"),
        "branch_tasks_staff_fkey": ("assigneeStaffId", "no such member of staff at this site"),
        "branch_tasks_checkin_fkey": ("assigneeCheckInId", "no such check-in at this branch"),
        "branch_tasks_one_assignee": (
            "assigneeCheckInId", "a task has one assignee: a member of staff or a checked-in patient"
        ),
        "branch_tasks_window": ("endsAt", "must be after startsAt"),
    ]

    /// Maps `error` (possibly wrapped by `withTransaction`) to a `DomainError` when it is a
    /// known kind of violation; anything else is returned unchanged.
    public static func map(_ error: any Error) -> any Error {
        if let wrapped = error as? PostgresTransactionError {
            if let commit = wrapped.commitError, isConnectionFailure(commit) {
                return DomainError.outcomeUnknown(
                    "the connection to the database broke while the change was being committed")
            }
            if let inner = wrapped.closureError ?? wrapped.commitError ?? wrapped.beginError { return map(inner) }
            return error
        }
        if isConnectionFailure(error) { return DomainError.unavailable("the connection to the database failed") }
        if "\(type(of: error))" == "ConnectionPoolError" {
            return DomainError.unavailable("no connection to the database can be made")
        }
        guard let psql = error as? PSQLError, let state = psql.serverInfo?[.sqlState] else { return error }
        let name = psql.serverInfo?[.constraintName] ?? ""
        let known = constraints[name]
        let message = psql.serverInfo?[.message] ?? "rejected by the database"
        switch state {
        case "23505", "23P01":
            return DomainError.conflict(known?.detail ?? message, field: known?.field)
        case "23514", "23502":
            return DomainError.invalid(
                known?.field ?? psql.serverInfo?[.columnName] ?? "body", known?.detail ?? message)
        case "23503":
            return DomainError.invalid(
                known?.field ?? "body", known?.detail ?? "refers to a record that does not exist")
        case "40001", "40P01":
            PoolMetrics.conflict(state == "40P01" ? "deadlock" : "serialization")
            return DomainError.conflict("another change touched the same records at the same moment; please retry")
        case "57014":
            return DomainError.unavailable("the database did not finish in time")
        case "57P01", "57P02", "57P03", "53300", "25P03":
            return DomainError.unavailable("the database is restarting or busy")
        case let s where s.hasPrefix("08"):
            return DomainError.unavailable("the connection to the database failed")
        case let s where s.hasPrefix("22"):
            // Data exceptions: a value PostgreSQL cannot hold (a date out of range, say).
            return DomainError.invalid("body", message)
        default:
            return error
        }
    }
}

extension DatabaseErrorMapper {
    /// Whether `error` means the connection itself failed (closed, reset, refused), not the statement.
    static func isConnectionFailure(_ error: any Error) -> Bool {
        guard let psql = error as? PSQLError else { return false }
        switch psql.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            return true
        default:
            let state = psql.serverInfo?[.sqlState] ?? ""
            return state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state)
        }
    }

    /// A one-line name for a database error that is safe to log: the error's kind and SQLSTATE,
    /// never its message, detail or the statement's parameters (which may hold an ID number).
    public static func logSummary(_ error: any Error) -> String? {
        if let wrapped = error as? PostgresTransactionError {
            if let inner = wrapped.closureError ?? wrapped.commitError ?? wrapped.beginError {
                return logSummary(inner) ?? String(describing: type(of: inner))
            }
            return "PostgresTransactionError"
        }
        guard let psql = error as? PSQLError else { return nil }
        if let state = psql.serverInfo?[.sqlState] { return "PSQLError(\(psql.code), SQLSTATE \(state))" }
        return "PSQLError(\(psql.code))"
    }
}

extension DatabaseErrorMapper {
    /// Why a connection could not be made, in words an operator can act on: the refused
    /// connection, the failed handshake, the server's own reason (a wrong password, a database
    /// that does not exist). Never a password: the server does not repeat one.
    public static func connectionCause(_ error: any Error) -> String {
        if let deadline = error as? DeadlineExceeded {
            return "no answer within \(deadline.seconds.formattedSeconds) s"
        }
        guard let psql = error as? PSQLError else { return String(describing: error) }
        if let message = psql.serverInfo?[.message] { return message }
        if let underlying = psql.underlying { return String(describing: underlying) }
        return "\(psql.code)"
    }
}
