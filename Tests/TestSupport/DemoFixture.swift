import Domain
import Foundation
import Services

/// Two sites with zones, beds and a user of each role, each with a bearer token.
public struct DemoFixture: Sendable {
    public var siteA: Site
    public var siteB: Site
    public var zoneA: Zone
    public var bedsA: [Bed]
    public var bedsB: [Bed]
    /// Bearer tokens by name: admin, managerA, clinicianA, pharmacistA, clinicianB, hospital, secretaryA.
    public var tokens: [String: String]

    /// The operator at the terminal, as the CLI acts.
    public static let operatorActor = Actor.cliOperator("test-operator")

    public static func make(_ services: CordonServices) async throws -> DemoFixture {
        let op = operatorActor
        let siteA = try await services.sites.create(
            SiteDraft(
                code: "TA-01", name: "Test site A", district: "Jinshan", address: "1 Test Road",
                kind: .centralisedIsolation,
                bedCapacity: 10, openedOn: CalendarDate("2022-04-03")), actor: op
        ).value
        let siteB = try await services.sites.create(
            SiteDraft(
                code: "TB-01", name: "Test site B", district: "Pudong", address: "2 Test Road",
                kind: .makeshiftHospital,
                bedCapacity: 10), actor: op
        ).value
        let zoneA = try await services.sites.createZone(
            siteId: siteA.id, ZoneDraft(code: "A", name: "Ward A", kind: .contaminated), actor: op)
        _ = try await services.sites.createZone(
            siteId: siteA.id, ZoneDraft(code: "CLN", name: "Clean", kind: .clean), actor: op)
        let zoneB = try await services.sites.createZone(
            siteId: siteB.id, ZoneDraft(code: "A", name: "Ward A", kind: .contaminated), actor: op)
        let bedsA = try await services.beds.createRange(
            siteId: siteA.id, BedRange(zoneId: zoneA.id, prefix: "A-", first: 1, last: 6, width: 3), actor: op)
        let bedsB = try await services.beds.createRange(
            siteId: siteB.id, BedRange(zoneId: zoneB.id, prefix: "B-", first: 1, last: 3, width: 3), actor: op)
        var tokens: [String: String] = [:]
        let users: [(String, Role, Site.ID?)] = [
            ("admin", .admin, nil), ("managerA", .siteManager, siteA.id), ("clinicianA", .clinician, siteA.id),
            ("pharmacistA", .pharmacist, siteA.id), ("clinicianB", .clinician, siteB.id),
            ("hospital", .hospitalSystem, siteA.id),
            ("secretaryA", .branchSecretary, siteA.id),
        ]
        for (name, role, siteId) in users {
            let username = name.lowercased()
            _ = try await services.access.createUser(username: username, displayName: name, actor: op)
            _ = try await services.access.setGrant(username: username, Grant(role: role, siteId: siteId), actor: op)
            tokens[name] = try await services.access.issueToken(username: username, actor: op).token
        }
        return DemoFixture(siteA: siteA, siteB: siteB, zoneA: zoneA, bedsA: bedsA, bedsB: bedsB, tokens: tokens)
    }
}

/// Valid national ID numbers for tests: region 310116, the given birth date, a sequence number.
public func testNationalID(born: String = "19690902", sequence: Int) -> String {
    let first17 = "310116" + born + String(format: "%03d", sequence % 1000)
    return first17 + String(NationalID.checkCharacter(forFirst17: first17.map { Int(String($0))! }))
}
