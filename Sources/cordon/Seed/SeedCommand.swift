import ArgumentParser
import Domain
import Foundation
import Services

/// The demo data file's shape: a site with zones, beds, users, and patients with test histories.
struct DemoSeed: Decodable {
    struct ZoneSeed: Decodable {
        struct Beds: Decodable {
            var prefix: String
            var first: Int
            var last: Int
            var width: Int?
            var room: String?
            var bay: String?
            var nearStation: Bool?
            var accessible: Bool?
            var oxygen: Bool?
            var singleSex: Sex?

            var attributes: BedAttributes {
                BedAttributes(
                    room: room, bay: bay, nearStation: nearStation ?? false, accessible: accessible ?? false,
                    oxygen: oxygen ?? false, singleSex: singleSex)
            }
        }
        var code: String
        var name: String
        var kind: ZoneKind
        var beds: Beds?
        /// Further runs, each with its own room or bay and attributes.
        var bedRanges: [Beds]?
    }
    /// A user who commands the site's district.
    struct CommanderSeed: Decodable {
        var username: String
        var name: String
    }
    /// A bus expected at the site: its transfer list (a CSV beside the seed file), due so many
    /// hours after the seed loads, with beds proposed.
    struct TransferListSeed: Decodable {
        var file: String
        var reference: String
        var expectedInHours: Double
    }
    struct UserSeed: Decodable {
        struct GrantSeed: Decodable { var role: Role }
        var username: String
        var name: String
        var grants: [GrantSeed]
    }
    struct PatientSeed: Decodable {
        struct Discharge: Decodable {
            var at: Date
            var reason: DischargeReason
            var note: String?
        }
        var name: String
        var sex: Sex
        var born: CalendarDate
        var nationalId: String
        var phone: String?
        var severity: Severity
        var partyMember: Bool
        var bed: String
        var admittedAt: Date
        var tests: [NucleicAcidTestEntry]
        var discharge: Discharge?
        var homeAddress: String?
        var committee: String?
        var household: String?
        var needsCarer: Bool?
    }
    /// A residential committee of the site's district.
    struct CommitteeSeed: Decodable {
        var name: String
        var street: String
        var contactName: String?
        var contactPhone: String?
    }
    struct LocationSeed: Decodable {
        var code: String
        var name: String
        var kind: StockLocationKind
        var zone: String?
    }
    /// A delivery; expiry is relative to the day the seed loads, so "close to expiry" stays true.
    struct ReceiptSeed: Decodable {
        var location: String
        var medication: String
        var lot: String
        var expiresInDays: Int
        var packs: Int?
        var quantity: Int?
    }
    struct LevelSeed: Decodable {
        var medication: String
        var minimum: Int
        var reorder: Int
    }
    struct ActivitySeed: Decodable {
        var kind: CareActivityKind
        var description: String?
        var medication: String?
        var doseUnits: Int?
        var route: String?
        var timesOfDay: [String]?
        var measure: Measure?
        var instrument: Instrument?
        var startsOn: CalendarDate
        var endsOn: CalendarDate?
    }
    struct ObservationSeed: Decodable {
        var measure: Measure?
        var instrument: Instrument?
        var observedAt: Date
        var systolic: Int?
        var diastolic: Int?
        var value: Double?
        var score: Int?
        var note: String?
    }
    struct CarePlanSeed: Decodable {
        /// Index into `patients`.
        var patient: Int
        var conditions: [CareCondition]
        var goals: String
        var reviewOn: CalendarDate
        var activities: [ActivitySeed]
        var observations: [ObservationSeed]?
    }
    var site: SiteDraft
    var zones: [ZoneSeed]
    var users: [UserSeed]
    var bedsOutOfService: [String]
    var patients: [PatientSeed]
    var medications: [MedicationDraft]?
    var stockLocations: [LocationSeed]?
    var receipts: [ReceiptSeed]?
    var levels: [LevelSeed]?
    var carePlans: [CarePlanSeed]?
    var roster: RosterSeed?
    var branch: BranchSeed?
    var referrals: ReferralSeed?
    var districtCommanders: [CommanderSeed]?
    var committees: [CommitteeSeed]?
    var transferLists: [TransferListSeed]?

    /// The folder the seed file was read from; files it names are read from there.
    var directory = URL(fileURLWithPath: ".")

    enum CodingKeys: String, CodingKey {
        case site, zones, users, bedsOutOfService, patients, medications, stockLocations, receipts, levels, carePlans
        case roster, branch, referrals, districtCommanders, transferLists, committees
    }

    static func load(_ url: URL) throws -> DemoSeed {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ValidationError(
                "cannot read the seed file \(url.path): run `cordon seed` from the repository (it reads seeds/), "
                    + "or give --file PATH")
        }
        do {
            var seed = try decoder.decode(DemoSeed.self, from: data)
            seed.directory = url.deletingLastPathComponent()
            return seed
        } catch let error as DecodingError {
            throw ValidationError("\(url.path) is not a valid seed file: \(error)")
        }
    }

    /// Loads everything through the services, so the demo data obeys every rule real data does.
    func apply(_ services: CordonServices, actor: Actor) async throws -> Site {
        let site = try await services.sites.create(site, actor: actor).value
        for zoneSeed in zones {
            let zone = try await services.sites.createZone(
                siteId: site.id, ZoneDraft(code: zoneSeed.code, name: zoneSeed.name, kind: zoneSeed.kind), actor: actor)
            for beds in (zoneSeed.beds.map { [$0] } ?? []) + (zoneSeed.bedRanges ?? []) {
                _ = try await services.beds.createRange(
                    siteId: site.id,
                    BedRange(
                        zoneId: zone.id, prefix: beds.prefix, first: beds.first, last: beds.last,
                        width: beds.width ?? 3,
                        attributes: beds.attributes),
                    actor: actor)
            }
        }
        for user in users {
            _ = try await services.access.createUser(username: user.username, displayName: user.name, actor: actor)
            for grant in user.grants {
                _ = try await services.access.setGrant(
                    username: user.username,
                    Grant(role: grant.role, siteId: grant.role == .admin ? nil : site.id), actor: actor)
            }
        }
        var admitted: [Patient.ID] = []
        for p in patients {
            let bed = try await services.beds.get(siteId: site.id, code: p.bed, actor: actor)
            let admission = Admission(
                name: p.name, sex: p.sex, dateOfBirth: p.born, phone: p.phone, nationalId: p.nationalId,
                severity: p.severity, partyMember: p.partyMember, bedId: bed.id, admittedAt: p.admittedAt,
                home: .given(
                    homeAddress: p.homeAddress, committee: p.committee, household: p.household,
                    needsCarer: p.needsCarer))
            let patient = try await services.patients.admit(siteId: site.id, admission, actor: actor).value
            admitted.append(patient.id)
            for test in p.tests {
                _ = try await services.patients.addTest(siteId: site.id, patientId: patient.id, test, actor: actor)
            }
            if let d = p.discharge {
                _ = try await services.patients.discharge(
                    siteId: site.id, patientId: patient.id, reason: d.reason, note: d.note,
                    at: d.at, expectedVersion: nil, actor: actor)
                // The bed was cleaned long ago in the demo's story.
                let left = try await services.beds.get(siteId: site.id, code: p.bed, actor: actor)
                _ = try await services.beds.setStatus(
                    siteId: site.id, bedId: left.id, to: .free, expectedVersion: left.version, actor: actor)
            }
        }
        for code in bedsOutOfService {
            let bed = try await services.beds.get(siteId: site.id, code: code, actor: actor)
            _ = try await services.beds.setStatus(
                siteId: site.id, bedId: bed.id, to: .outOfService, expectedVersion: bed.version, actor: actor)
        }
        try await applyStockAndCare(services, site: site, patientIds: admitted, actor: actor)
        try await roster?.apply(services, site: site, actor: actor)
        try await branch?.apply(services, site: site, patients: patients, actor: actor)
        try await referrals?.apply(services, site: site, patientIds: admitted, actor: actor)
        try await applyDistrict(services, site: site, actor: actor)
        try await applySwabRound(services, site: site, actor: actor)
        try await applyRelease(services, site: site, actor: actor)
        try await applyWatch(services, site: site, actor: actor)
        return site
    }

    /// The district's commanders and residential committees, and the buses expected at the site
    /// with their proposals.
    private func applyDistrict(_ services: CordonServices, site: Site, actor: Actor) async throws {
        if let committees, !committees.isEmpty {
            let district = try await services.districts.district(named: site.district, actor: actor)
            for c in committees {
                _ = try await services.committees.create(
                    districtId: district.id,
                    ResidentialCommitteeDraft(
                        name: c.name, street: c.street, contactName: c.contactName, contactPhone: c.contactPhone),
                    actor: actor)
            }
        }
        if let commanders = districtCommanders, !commanders.isEmpty {
            let district = try await services.districts.district(named: site.district, actor: actor)
            for commander in commanders {
                _ = try await services.access.createUser(
                    username: commander.username, displayName: commander.name, actor: actor)
                _ = try await services.access.setGrant(
                    username: commander.username,
                    Grant(role: .districtCommander, siteId: nil, districtId: district.id), actor: actor)
            }
        }
        for list in transferLists ?? [] {
            let url = directory.appendingPathComponent(list.file)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw ValidationError("cannot read the transfer list \(url.path) that the seed names")
            }
            let batch = try await services.intake.importCSV(
                siteId: site.id, String(decoding: data, as: UTF8.self), reference: list.reference,
                expectedAt: Date(timeIntervalSinceNow: list.expectedInHours * 3600), actor: actor)
            _ = try await services.intake.propose(siteId: site.id, batchId: batch.id, actor: actor)
        }
    }

    private func applyStockAndCare(_ services: CordonServices, site: Site, patientIds: [Patient.ID], actor: Actor)
        async throws
    {
        var medicationIds: [String: Medication] = [:]
        for draft in medications ?? [] {
            medicationIds[draft.code] = try? await services.stock.medication(code: draft.code, actor: actor)
            if medicationIds[draft.code] == nil {
                medicationIds[draft.code] = try await services.stock.addMedication(draft, actor: actor)
            }
        }
        func medication(_ code: String) throws -> Medication {
            guard let found = medicationIds[code] else {
                throw ValidationError("seed names medication \(code), which it does not define")
            }
            return found
        }
        var locationIds: [String: StockLocation.ID] = [:]
        for location in stockLocations ?? [] {
            let zoneId = try await location.zone.asyncMap {
                try await services.sites.zone(siteId: site.id, code: $0, actor: actor).id
            }
            locationIds[location.code] = try await services.stock.createLocation(
                siteId: site.id,
                StockLocationDraft(code: location.code, name: location.name, kind: location.kind, zoneId: zoneId),
                actor: actor
            ).id
        }
        let today = site.today
        for receipt in receipts ?? [] {
            let med = try medication(receipt.medication)
            guard let locationId = locationIds[receipt.location] else {
                throw ValidationError("seed names location \(receipt.location), which it does not define")
            }
            _ = try await services.stock.receive(
                siteId: site.id,
                StockReceipt(
                    locationId: locationId, medicationId: med.id, lotNumber: receipt.lot,
                    expiresOn: today.adding(days: receipt.expiresInDays),
                    quantity: receipt.quantity ?? 0, reason: "期初库存", documentNumber: nil,
                    packs: receipt.packs ?? 0), actor: actor)
        }
        for level in levels ?? [] {
            try await services.stock.setLevel(
                siteId: site.id,
                StockLevel(
                    medicationId: try medication(level.medication).id,
                    minimum: level.minimum, reorder: level.reorder), actor: actor)
        }
        for planSeed in carePlans ?? [] {
            var plan = try await services.care.createPlan(
                siteId: site.id, patientId: patientIds[planSeed.patient],
                CarePlanDraft(
                    conditions: planSeed.conditions, goals: planSeed.goals, reviewOn: planSeed.reviewOn), actor: actor)
            for a in planSeed.activities {
                plan = try await services.care.addActivity(
                    siteId: site.id, planId: plan.id,
                    CareActivityDraft(
                        kind: a.kind, description: a.description ?? "",
                        medicationId: try a.medication.map { try medication($0).id },
                        doseUnits: a.doseUnits, route: a.route, timesOfDay: a.timesOfDay ?? [], measure: a.measure,
                        instrument: a.instrument,
                        startsOn: a.startsOn, endsOn: a.endsOn), actor: actor)
            }
            plan = try await services.care.setStatus(
                siteId: site.id, planId: plan.id, to: .active, expectedVersion: plan.version, actor: actor)
            for o in planSeed.observations ?? [] {
                let activityId = plan.activities.first {
                    ($0.measure != nil && $0.measure == o.measure)
                        || ($0.instrument != nil && $0.instrument == o.instrument)
                }?.id
                _ = try await services.care.recordObservation(
                    siteId: site.id, planId: plan.id,
                    ObservationEntry(
                        activityId: activityId, measure: o.measure, observedAt: o.observedAt, systolic: o.systolic,
                        diastolic: o.diastolic,
                        value: o.value, instrument: o.instrument, score: o.score, note: o.note), actor: actor)
            }
        }
    }
}

struct SeedCommand: CordonCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract:
            "Load the demo sites from seeds/: JS-01 with its history, and two more sites of its district, one expecting a bus (each skipped when already there)."
    )

    @Option(help: "A seed file; repeat for more.") var file = [
        "seeds/demo-site.json", "seeds/district-site-js02.json", "seeds/district-site-js03.json",
    ]

    func run(_ cli: CLI) async throws {
        let seeds = try file.map { try DemoSeed.load(URL(fileURLWithPath: $0)) }
        let actor = Actor(userId: nil, username: "seed", grants: [Grant(role: .admin, siteId: nil)], origin: .seed)
        for seed in seeds {
            try await load(seed, cli, actor: actor)
        }
    }

    private func load(_ seed: DemoSeed, _ cli: CLI, actor: Actor) async throws {
        if let existing = try? await cli.services.sites.get(code: seed.site.code, actor: actor) {
            // The seed loads through the services, one transaction each; a run that stopped
            // half-way is reported rather than mistaken for a finished one.
            let patients = try await allPages {
                try await cli.services.patients.list(siteId: existing.id, status: nil, page: $0, actor: actor)
            }
            let lists = try await cli.services.intake.batches(siteId: existing.id, open: false, actor: actor)
            guard patients.count == seed.patients.count, lists.count == seed.transferLists?.count ?? 0 else {
                throw ValidationError(
                    "demo site \(existing.code) is only partly loaded (\(patients.count) of \(seed.patients.count) patients); "
                        + "drop the database and run `cordon migrate` and `cordon seed` again")
            }
            print("demo site \(existing.code) is already loaded (id \(existing.id)); nothing to do")
            return
        }
        let site = try await seed.apply(cli.services, actor: actor)
        let beds = seed.zones.reduce(0) { total, zone in
            (zone.beds.map { [$0] } ?? []).reduce(total) { $0 + $1.last - $1.first + 1 }
                + (zone.bedRanges ?? []).reduce(0) { $0 + $1.last - $1.first + 1 }
        }
        print(
            "demo site \(site.code) loaded: \(seed.zones.count) zones, \(beds) beds, \(seed.patients.count) patients, \(seed.users.count) users, "
                + "\(seed.medications?.count ?? 0) medications, \(seed.carePlans?.count ?? 0) care plans, "
                + "\(seed.roster?.staff.count ?? 0) staff in \(seed.roster?.teams.count ?? 0) teams, "
                + "a Party branch with \(seed.branch?.checkIns.count ?? 0) patient check-ins, "
                + "\(seed.referrals?.referrals.count ?? 0) referrals to \(seed.referrals?.hospitals.count ?? 0) hospitals, "
                + "\(seed.transferLists?.count ?? 0) bus(es) expected"
        )
    }
}
