import CordonAPI
import Domain
import Foundation
import OpenAPIRuntime
import Services

extension Components.Schemas.SwabSchedule {
    init(_ s: SwabSchedule) {
        self.init(firstDayAfterAdmission: s.firstDayAfterAdmission, intervalDays: s.intervalDays)
    }

    var schedule: SwabSchedule {
        SwabSchedule(firstDayAfterAdmission: firstDayAfterAdmission, intervalDays: intervalDays)
    }
}

extension Components.Schemas.SwabTally {
    init(_ t: SwabTally) {
        self.init(
            printed: t.printed, due: t.due, collected: t.collected, notCollected: t.notCollected, sent: t.sent,
            resulted: t.resulted, cancelled: t.cancelled)
    }
}

extension Components.Schemas.SwabRound {
    init(_ r: SwabRound) {
        self.init(
            siteId: r.siteId.rawValue, date: r.date.description, total: .init(r.total),
            zones: r.zones.map {
                .init(zoneId: $0.zoneId.rawValue, zoneCode: $0.zoneCode, zoneName: $0.zoneName, tally: .init($0.tally))
            }, oldestAwaitingSince: r.oldestAwaitingSince)
    }
}

extension Components.Schemas.SwabRoundMade {
    init(_ m: SwabRoundMade) {
        self.init(
            round: .init(m.round), added: m.added, moved: m.moved.map(\.description), cancelled: m.cancelled,
            unplacedPatientIds: m.unplaced.map(\.rawValue))
    }
}

extension Components.Schemas.Specimen {
    init(_ s: Specimen) {
        self.init(
            accession: s.accession.description, siteId: s.siteId.rawValue, roundDate: s.roundDate.description,
            patientId: s.patientId.rawValue, patientName: s.patientName, zoneId: s.zoneId.rawValue,
            zoneCode: s.zoneCode, bedId: s.bedId.rawValue, bedCode: s.bedCode, status: s.status.converted(),
            notCollectedReason: s.notCollectedReason?.converted(), cancellation: s.cancellation?.converted(),
            collectedAt: s.collectedAt, createdAt: s.createdAt)
    }
}

extension Components.Schemas.CollectionInput {
    var entry: CollectionEntry {
        CollectionEntry(
            collected: outcome == .collected, wristband: wristband, reason: reason?.converted(),
            collectedAt: collectedAt)
    }
}

extension Parse {
    /// An accession number in the path: a number that fails its check is malformed (400).
    static func accession(_ value: String, _ field: String = "accession") throws -> AccessionNumber {
        do {
            return try AccessionNumber(parsing: value, field: field)
        } catch DomainError.invalid(let issues) {
            throw ProblemDetails.malformed(field, issues.first?.detail ?? "is not an accession number")
        }
    }

    /// A round's day in the path.
    static func roundDate(_ value: String) throws -> CalendarDate {
        guard let day = try queryDate(value, "date") else { throw ProblemDetails.malformed("date", "is required") }
        return day
    }
}
