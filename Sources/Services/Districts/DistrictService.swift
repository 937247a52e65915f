import Domain
import Foundation
import Storage

/// The district's view: its sites on one board, and where the next bus should go.
public struct DistrictService: Sendable {
    let database: Database
    let stockCover: StockCoverService
    let referralTargets: ReferralTargets
    /// Hours a committee has to acknowledge a bus notice (`COMMITTEE_ACK_HOURS`).
    let committeeAckHours: Int

    /// Districts the actor may read: every one for an admin, their own for a commander.
    public func districts(actor: Actor) async throws -> [District] {
        let ids = try Self.commanded(by: actor)
        return try await database.read(actor) { tx in try await tx.districts.districts(ids: ids) }
    }

    /// One district's board: per site, beds free by sex and mark, expected arrivals, admissions and
    /// discharges today, patients in care and eligible for release, overdue referrals, stock
    /// alerts, roster gaps, and releases and buses home with the committees that have not
    /// answered. Read in one snapshot.
    public func board(districtId: District.ID, at now: Date = Date(), actor: Actor) async throws -> DistrictBoard {
        try Self.require(actor, districtId)
        return try await database.read(actor) { tx in
            let (district, sites) = try await Self.district(districtId, tx)
            let ids = sites.map(\.id)
            let days = Dictionary(uniqueKeysWithValues: sites.map { ($0.id, $0.today) })
            let repo = tx.districts
            let beds = try await repo.beds(siteIds: ids)
            let arrivals = try await repo.arrivals(siteIds: ids)
            let patients = try await repo.patients(days: days)
            let gaps = try await repo.rosterGaps(siteIds: ids)
            var releases = try await repo.releases(days: days)
            for (site, answers) in try await tx.committeeNotices.unanswered(siteIds: ids, hours: committeeAckHours) {
                releases[site, default: ReleaseFigures()].committeesUnanswered = answers.waiting
                releases[site, default: ReleaseFigures()].committeesOverdue = answers.overdue
            }
            let overdue = Dictionary(
                grouping: try await tx.referrals.open(siteIds: ids).compactMap { referralTargets.overdue($0, at: now) },
                by: \.siteId)
            let stockAlerts = try await stockCover.alertCounts(days: days, tx)
            var lines: [SiteBoard] = []
            for site in sites {
                let p = patients[site.id] ?? (0, 0, 0, 0)
                lines.append(
                    SiteBoard(
                        siteId: site.id, code: site.code, name: site.name, status: site.status, today: site.today,
                        beds: beds[site.id] ?? BedAvailability(), expectedArrivals: arrivals[site.id]?.expected ?? 0,
                        nextArrivalAt: arrivals[site.id]?.next ?? nil, admittedToday: p.admitted,
                        dischargedToday: p.discharged, inCare: p.inCare, eligibleForRelease: p.eligible,
                        overdueReferrals: overdue[site.id]?.count ?? 0,
                        stockAlerts: stockAlerts[site.id] ?? 0,
                        rosterGaps: gaps[site.id] ?? 0, release: releases[site.id] ?? ReleaseFigures()))
            }
            return DistrictBoard(district: district, generatedAt: now, sites: lines)
        }
    }

    /// Ranks the district's open sites by how well each could place a bus of these counts now,
    /// with the reasons per site, and plans it over them. Writes nothing.
    public func nextBus(districtId: District.ID, demand: BusDemand, actor: Actor) async throws -> NextBusAdvice {
        try demand.validate()
        return try await nextBus(districtId: districtId, demand.arrivals, actor: actor)
    }

    /// The same for the people of a transfer list, weighed as intake would weigh them (households,
    /// ages and needs); each person is checked as an import checks them.
    public func nextBus(districtId: District.ID, persons: [TransferPerson], actor: Actor) async throws
        -> NextBusAdvice
    {
        let today = PatientService.latestToday()
        let list = TransferList(reference: "next bus", expectedAt: Date(), persons: persons)
        _ = try list.validate(today: today, known: [:], maximumPersons: BusDemand.maximumPeople)
        let arrivals = persons.enumerated().map { i, p in p.arrival(id: Int64(i + 1), today: today) }
        return try await nextBus(districtId: districtId, arrivals, actor: actor)
    }

    private func nextBus(districtId: District.ID, _ arrivals: [Arrival], actor: Actor) async throws -> NextBusAdvice {
        try Self.require(actor, districtId)
        return try await database.read(actor) { tx in
            let (_, sites) = try await Self.district(districtId, tx)
            var beds: [(siteId: Site.ID, code: String, beds: [AllocationBed])] = []
            for site in sites where site.status == .open {
                beds.append((site.id, site.code, try await tx.intake.allocationBeds(siteId: site.id)))
            }
            return NextBus.advise(arrivals, sites: beds)
        }
    }

    /// A district by its name, as people name districts; another commander's is not there.
    public func district(named name: String, actor: Actor) async throws -> District {
        let found = try await database.read(actor) { tx in try await tx.districts.district(named: name) }
        guard let found, (try Self.commanded(by: actor))?.contains(found.id) ?? true else {
            throw DomainError.notFound("no district \(name)")
        }
        return found
    }

    /// The districts a commander holds, or nil for an admin; refused for anyone else.
    static func commanded(by actor: Actor) throws -> [District.ID]? {
        if actor.isAdmin { return nil }
        let ids = Array(Set(actor.grants.filter { $0.role == .districtCommander }.compactMap(\.districtId)))
        if ids.isEmpty { throw DomainError.forbidden("only district commanders and admins read districts") }
        return ids.sorted { $0.rawValue < $1.rawValue }
    }

    /// Another district is not there at all for a commander, as another site is not for a manager.
    static func require(_ actor: Actor, _ districtId: District.ID) throws {
        if let ids = try commanded(by: actor), !ids.contains(districtId) {
            throw DomainError.notFound("district not found")
        }
    }

    static func district(_ id: District.ID, _ tx: Transaction) async throws -> (District, [Site]) {
        guard let district = try await tx.districts.districts(ids: [id]).first else {
            throw DomainError.notFound("district not found")
        }
        let ids = try await tx.districts.siteIds(districtId: id)
        let sites = try await tx.sites.list(visible: ids, page: PageRequest(limit: max(ids.count, 1)))
        return (district, sites.sorted { $0.code < $1.code })
    }
}
