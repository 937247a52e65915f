import Domain
import Foundation
import LabelPDF
import Storage

/// What a plan made: the new buses, and whoever could not be placed (nobody knows their
/// committee) to be asked about.
public struct BusPlanResult: Sendable, Equatable {
    public var buses: [ReleaseBus]
    public var unplaced: [Homeward]
}

/// Buses home: the released of the last three days who have no seat yet are grouped by street,
/// households together and carers beside those who need them, into buses of a given size; each
/// bus's manifest prints (PDF) and exports (CSV), and its departure is recorded. Each committee
/// with people on a new bus gets a notice with a signed link to acknowledge (`CommitteeNoticeService`),
/// and, when it has registered a webhook endpoint, the same notice posted signed through the outbox.
public struct BusService: Sendable {
    let database: Database
    /// How the committees are told: each notice's link, and the body its webhook carries.
    let noticeLinks: CommitteeNoticeLinks

    /// Who plans buses and records departures: the discharge office (site manager) and clinicians.
    public static let planners = ReleaseService.carers
    /// How far back a plan looks for people released without a seat.
    public static let homewardHours = 72
    public static let seatRange = 4...80

    /// Plans buses for everyone released without a seat; a second plan takes only who was
    /// released since. Planning at one site happens one clerk at a time.
    public func plan(siteId: Site.ID, seats: Int, departsAt: Date, actor: Actor) async throws -> BusPlanResult {
        try actor.require(Self.planners, at: siteId)
        var v = Validator()
        v.check(
            Self.seatRange.contains(seats), "seats",
            "must be \(Self.seatRange.lowerBound) to \(Self.seatRange.upperBound)")
        let now = Date()
        v.check(
            departsAt > now.addingTimeInterval(-3600) && departsAt < now.addingTimeInterval(7 * 86_400), "departsAt",
            "must be within the next seven days")
        try v.finish()
        return try await database.transaction(actor) { tx in
            _ = try await tx.site(siteId)
            try await tx.buses.lockPlanning(siteId: siteId)
            let homeward = try await tx.buses.homeward(siteId: siteId, hours: Self.homewardHours)
            let plan = BusPlanner.plan(homeward, seats: seats)
            guard !plan.buses.isEmpty else { return BusPlanResult(buses: [], unplaced: plan.unplaced) }
            let ids = try await tx.buses.insert(
                siteId: siteId, plan.buses, seats: seats, departsAt: departsAt, plannedBy: actor.username)
            try await tx.committeeNotices.create(siteId: siteId, busIds: ids)
            // Committees with an endpoint are told through the outbox, with the plan itself.
            let key = try await tx.certificates.signingKey(siteId: siteId)
            let notices = try await tx.committeeNotices.notices(siteId: siteId, busIds: ids, limit: Int(Int32.max))
            try await tx.webhooks.enqueue(notices.map { noticeLinks.payload($0, keyHex: key) })
            let buses = try await tx.buses.buses(siteId: siteId, ids: ids)
            for bus in buses {
                try await tx.audit.record(
                    "plan", entity: "release_bus", id: bus.id.rawValue, siteId: siteId, before: String?.none,
                    after: ["destination": bus.destination, "passengers": String(bus.passengers.count)])
            }
            let order = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
            return BusPlanResult(
                buses: buses.sorted { order[$0.id, default: 0] < order[$1.id, default: 0] }, unplaced: plan.unplaced)
        }
    }

    public func list(siteId: Site.ID, actor: Actor) async throws -> [ReleaseBus] {
        try actor.require(Self.planners, at: siteId)
        return try await database.read(actor) { tx in
            _ = try await tx.site(siteId)
            return try await tx.buses.buses(siteId: siteId)
        }
    }

    public func bus(siteId: Site.ID, busId: ReleaseBus.ID, actor: Actor) async throws -> ReleaseBus {
        try actor.require(Self.planners, at: siteId)
        return try await database.read(actor) { tx in
            _ = try await tx.site(siteId)
            return try await tx.buses.buses(siteId: siteId, ids: [busId]).first.orNotFound("bus")
        }
    }

    /// Records that the bus left; audited once, a repeat answers the first departure.
    public func depart(siteId: Site.ID, busId: ReleaseBus.ID, actor: Actor) async throws -> ReleaseBus {
        try actor.require(Self.planners, at: siteId)
        return try await database.transaction(actor) { tx in
            _ = try await tx.site(siteId)
            guard let departedNow = try await tx.buses.depart(siteId: siteId, busId: busId) else {
                throw DomainError.notFound("bus")
            }
            let bus = try await tx.buses.buses(siteId: siteId, ids: [busId])[0]
            if departedNow {
                try await tx.audit.record(
                    "depart", entity: "release_bus", id: busId.rawValue, siteId: siteId, before: String?.none,
                    after: ["departedAt": bus.departedAt.map(RFC3339.string) ?? ""])
            }
            return bus
        }
    }

    /// The manifest as CSV: one row a passenger, with the committee and the last day of home
    /// monitoring, the count of rows the count on the bus.
    public func manifestCSV(siteId: Site.ID, busId: ReleaseBus.ID, actor: Actor) async throws -> String {
        let bus = try await bus(siteId: siteId, busId: busId, actor: actor)
        return try CSVText.write(
            header: [
                "bus", "destination", "departs_at", "patient_id", "name", "committee", "household", "seats",
                "monitoring_ends_on",
            ],
            rows: bus.passengers.map { p in
                [
                    String(bus.id), bus.destination, RFC3339.string(bus.departsAt), String(p.patientId), p.name,
                    p.committee ?? "", p.household ?? "", String(p.seats), p.monitoringEndsOn.description,
                ]
            })
    }

    /// The manifest to print (A4, Chinese and English), numbered pages, the count on top.
    public func manifestPDF(siteId: Site.ID, busId: ReleaseBus.ID, actor: Actor) async throws -> Data {
        let bus = try await bus(siteId: siteId, busId: busId, actor: actor)
        let site = try await database.read(actor) { tx in try await tx.site(siteId) }
        let departs = SwabService.siteTime(bus.departsAt, site)
        return try LabelPDF.table(
            title: [
                "\(site.name) · 返家车辆 Bus home \(bus.id) → \(bus.destination)",
                "发车 Departs \(departs) · \(bus.passengers.count) 人 people, \(bus.seatsTaken)/\(bus.seats) 座 seats",
            ],
            header: ["#", "姓名 Name", "居委会 Committee", "同户 Household", "座 Seats", "居家监测至 Monitoring to"],
            shares: [1, 4, 5, 3, 1.5, 3.5],
            rows: bus.passengers.enumerated().map { index, p in
                [
                    String(index + 1), p.name, p.committee ?? "", p.household ?? "", String(p.seats),
                    p.monitoringEndsOn.description,
                ]
            })
    }
}
