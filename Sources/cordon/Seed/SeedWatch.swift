import Domain
import Foundation
import Services

extension DemoSeed {
    /// The night's observations on the ward: calm sets for a few patients, and one patient who
    /// is not on the way home turning worse over eight hours, whose latest set (NEWS2 6) has
    /// raised an urgent alert that no clinician has acknowledged yet.
    func applyWatch(_ services: CordonServices, site: Site, actor: Actor) async throws {
        let onTheWayHome = Set(
            try await services.releases.list(siteId: site.id, zoneId: nil, actor: actor).candidates.map(\.patientId))
        let ward = try await services.patients.list(
            siteId: site.id, status: .admitted, page: PageRequest(limit: 50), actor: actor
        ).items.filter { !onTheWayHome.contains($0.id) }
        guard let turning = ward.first else { return }
        let nurse = try await Self.clinician(services, site: site, actor: actor)
        func set(_ hoursAgo: Double, rr: Int, spo2: Int, pulse: Int, temperature: Double) -> VitalSignsDraft {
            VitalSignsDraft(
                takenAt: Date(timeIntervalSinceNow: -hoursAgo * 3600), respirationRate: rr, spo2: spo2,
                onOxygen: false, systolic: 124, pulse: pulse, consciousness: .alert, temperature: temperature)
        }
        for patient in ward.dropFirst().prefix(4) {
            for hoursAgo in [8.0, 2.0] {
                _ = try await services.vitalSigns.record(
                    siteId: site.id, patientId: patient.id,
                    set(hoursAgo, rr: 16, spo2: 97, pulse: 76, temperature: 36.6), actor: nurse)
            }
        }
        for (hoursAgo, rr, spo2, pulse, temperature) in [
            (8.0, 18, 96, 84, 37.1), (4.0, 22, 95, 96, 37.8), (0.3, 23, 94, 112, 38.3),
        ] {
            _ = try await services.vitalSigns.record(
                siteId: site.id, patientId: turning.id,
                set(hoursAgo, rr: rr, spo2: spo2, pulse: pulse, temperature: temperature), actor: nurse)
        }
    }

    /// One of the site's clinicians, as the seed's nurse or signer; the seed's operator otherwise.
    static func clinician(_ services: CordonServices, site: Site, actor: Actor) async throws -> Actor {
        let clinician = try await services.access.users(actor: actor).first {
            $0.grants.contains { $0.role == .clinician && $0.siteId == site.id }
        }
        return clinician.map { Actor(userId: $0.id, username: $0.username, grants: $0.grants, origin: .seed) }
            ?? actor
    }
}
