import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Services

/// Buses home on the release page: planning, the list with manifests, departures.
extension ReleasePages {
    /// A bus as the list shows it: where, when, who, its manifest and its departure.
    func busRow(_ bus: ReleaseBus) -> ReleasePage.Bus {
        ReleasePage.Bus(
            destination: bus.destination, departs: LocalTimeText.dayAndTime(bus.departsAt, site.timeZone),
            people: bus.passengers.count,
            committees: Array(Set(bus.passengers.compactMap(\.committee))).sorted().joined(
                separator: words["list_separator"]),
            pdfPath: "\(base)/buses/\(bus.id)/manifest.pdf", csvPath: "\(base)/buses/\(bus.id)/manifest.csv",
            departed: bus.departedAt.map { LocalTimeText.dayAndTime($0, site.timeZone) },
            canDepart: visit.actor.holds(any: BusService.planners, at: site.id),
            departPath: "\(base)/buses/\(bus.id)/departure")
    }

    /// Plans buses for everyone released without a seat.
    func planBuses(_ form: Form) async throws -> Response {
        try await visit.attempt {
            var v = Validator()
            let seats = form.text("seats").flatMap { Int($0) }
            v.check(seats != nil, "seats", "must be a number of seats from 4 to 80")
            let departs = form.text("departsAt").flatMap { TestForm.localInstant($0, site.timeZone) }
            v.check(departs != nil, "departsAt", "must be a date and time as YYYY-MM-DDTHH:MM")
            try v.finish()
            let plan = try await visit.services.buses.plan(
                siteId: site.id, seats: seats!, departsAt: departs!, actor: visit.actor)
            var notices = [
                words["bus_planned_notice"].replacingOccurrences(of: "{buses}", with: String(plan.buses.count))
                    .replacingOccurrences(
                        of: "{people}", with: String(plan.buses.reduce(0) { $0 + $1.passengers.count }))
            ]
            if !plan.unplaced.isEmpty {
                notices.append(
                    words["bus_unplaced_notice"] + " "
                        + plan.unplaced.map(\.name).joined(separator: words["list_separator"]))
            }
            return try await list(zone: nil, notices: notices)
        } orShow: { issues, status in
            try await list(zone: nil, notices: issues.map(\.detail), status: status)
        }
    }

    /// Records a bus's departure.
    func depart(bus: ReleaseBus.ID) async throws -> Response {
        try await visit.attempt {
            let gone = try await visit.services.buses.depart(siteId: site.id, busId: bus, actor: visit.actor)
            return try await list(
                zone: nil,
                notices: [
                    words["bus_departed_notice"].replacingOccurrences(of: "{id}", with: String(gone.id))
                        .replacingOccurrences(of: "{destination}", with: gone.destination)
                ])
        } orShow: { issues, status in
            try await list(zone: nil, notices: issues.map(\.detail), status: status)
        }
    }

    /// A committee's notice as the list shows it: its answer, or that it is late.
    func noticeRow(_ issued: IssuedNotice) -> ReleasePage.Notice {
        let n = issued.notice
        let status =
            n.acknowledgedAt.map { at in
                words["notice_acknowledged"].replacingOccurrences(of: "{name}", with: n.acknowledgedBy ?? "")
                    .replacingOccurrences(of: "{time}", with: LocalTimeText.dayAndTime(at, site.timeZone))
            } ?? words[issued.isOverdue ? "notice_overdue" : "notice_waiting"]
        return ReleasePage.Notice(
            committee: n.committee, bus: "\(n.busId) · \(n.destination)",
            sent: LocalTimeText.dayAndTime(n.sentAt, site.timeZone), status: status, overdue: issued.isOverdue,
            link: issued.link)
    }
}
