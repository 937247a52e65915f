import ArgumentParser
import Domain
import Foundation
import Services

/// The demo data file's shape: a site with zones, beds, users, and patients with test histories.
struct DemoSeed: Decodable {
    struct ZoneSeed: Decodable {
        struct Beds: Decodable { var prefix: String; var first: Int; var last: Int; var width: Int? }
        var code: String; var name: String; var kind: ZoneKind; var beds: Beds?
    }
    struct UserSeed: Decodable {
        struct GrantSeed: Decodable { var role: Role }
        var username: String; var name: String; var grants: [GrantSeed]
    }
    struct PatientSeed: Decodable {
        struct Discharge: Decodable { var at: Date; var reason: DischargeReason; var note: String? }
        var name: String; var sex: Sex; var born: CalendarDate; var nationalId: String; var phone: String?
        var severity: Severity; var partyMember: Bool; var bed: String; var admittedAt: Date
        var tests: [NucleicAcidTestEntry]; var discharge: Discharge?
    }
    var site: SiteDraft
    var zones: [ZoneSeed]
    var users: [UserSeed]
    var bedsOutOfService: [String]
    var patients: [PatientSeed]

    static func load(_ url: URL) throws -> DemoSeed {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(DemoSeed.self, from: Data(contentsOf: url))
        } catch let error as DecodingError {
            throw ValidationError("\(url.path) is not a valid seed file: \(error)")
        }
    }

    /// Loads everything through the services, so the demo data obeys every rule real data does.
    func apply(_ services: CordonServices, actor: Actor) async throws -> Site {
        let site = try await services.sites.create(site, actor: actor).value
        for zoneSeed in zones {
            let zone = try await services.sites.createZone(siteId: site.id, ZoneDraft(code: zoneSeed.code, name: zoneSeed.name, kind: zoneSeed.kind), actor: actor)
            if let beds = zoneSeed.beds {
                _ = try await services.beds.createRange(
                    siteId: site.id, BedRange(zoneId: zone.id, prefix: beds.prefix, first: beds.first, last: beds.last, width: beds.width ?? 3),
                    actor: actor)
            }
        }
        for user in users {
            _ = try await services.access.createUser(username: user.username, displayName: user.name, actor: actor)
            for grant in user.grants {
                _ = try await services.access.setGrant(username: user.username,
                                                       Grant(role: grant.role, siteId: grant.role == .admin ? nil : site.id), actor: actor)
            }
        }
        for p in patients {
            let bed = try await services.beds.get(siteId: site.id, code: p.bed, actor: actor)
            let admission = Admission(name: p.name, sex: p.sex, dateOfBirth: p.born, phone: p.phone, nationalId: p.nationalId,
                                      severity: p.severity, partyMember: p.partyMember, bedId: bed.id, admittedAt: p.admittedAt)
            let patient = try await services.patients.admit(siteId: site.id, admission, actor: actor).value
            for test in p.tests {
                _ = try await services.patients.addTest(siteId: site.id, patientId: patient.id, test, actor: actor)
            }
            if let d = p.discharge {
                _ = try await services.patients.discharge(siteId: site.id, patientId: patient.id, reason: d.reason, note: d.note,
                                                                 at: d.at, expectedVersion: nil, actor: actor)
                // The bed was cleaned long ago in the demo's story.
                let left = try await services.beds.get(siteId: site.id, code: p.bed, actor: actor)
                _ = try await services.beds.setStatus(siteId: site.id, bedId: left.id, to: .free, expectedVersion: left.version, actor: actor)
            }
        }
        for code in bedsOutOfService {
            let bed = try await services.beds.get(siteId: site.id, code: code, actor: actor)
            _ = try await services.beds.setStatus(siteId: site.id, bedId: bed.id, to: .outOfService, expectedVersion: bed.version, actor: actor)
        }
        return site
    }
}

struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed", abstract: "Load the demo site from seeds/ (skipped when it is already there).")

    @Option(help: "The seed file.") var file = "seeds/demo-site.json"

    func run() async throws {
        let seed = try DemoSeed.load(URL(fileURLWithPath: file))
        try await CordonEnvironment.withServices { services in
            let actor = Actor(userId: nil, username: "seed", grants: [Grant(role: .admin, siteId: nil)], origin: .seed)
            if let existing = try? await services.sites.get(code: seed.site.code, actor: actor) {
                print("demo site \(existing.code) is already loaded (id \(existing.id)); nothing to do")
                return
            }
            let site = try await seed.apply(services, actor: actor)
            print("demo site \(site.code) loaded: \(seed.zones.count) zones, \(seed.patients.count) patients, \(seed.users.count) users")
        }
    }
}
