import Domain
import Foundation
import Services
import TestSupport
import Testing

/// Site A with an admitted patient, two hospitals (one with oncology) and each hospital's system.
struct ReferralFixture {
    let services: CordonServices
    let demo: DemoFixture
    let patient: Patient
    let oncology: Hospital
    let other: Hospital
    let hospitalSystem: Actor
    let otherSystem: Actor
    let clinician: Actor
    let op = DemoFixture.operatorActor
    var site: Site.ID { demo.siteA.id }

    static func make(_ db: TestDatabase) async throws -> ReferralFixture {
        let services = db.services()
        let demo = try await DemoFixture.make(services)
        let op = DemoFixture.operatorActor
        let patient = try await services.patients.admit(
            siteId: demo.siteA.id,
            Admission(
                name: "何雅琴", sex: .female, dateOfBirth: CalendarDate(year: 1971, month: 3, day: 8), phone: nil,
                nationalId: testNationalID(born: "19710308", sequence: 12), severity: .mild, partyMember: false,
                bedId: demo.bedsA[0].id),
            actor: op
        ).value
        let oncology = try await services.hospitals.add(
            HospitalDraft(
                code: "PJ1", name: "浦江第一人民医院", contactName: "医务处", contactPhone: "021-55550001",
                departments: [.init(code: "ONC", name: "肿瘤科", services: [.chemotherapy, .radiotherapy])]), actor: op
        ).hospital
        let other = try await services.hospitals.add(HospitalDraft(code: "SC", name: "申城中医医院"), actor: op).hospital
        func system(_ code: String) async throws -> Actor {
            let token = try await services.hospitals.issueToken(hospitalCode: code, actor: op).token
            return try await services.access.authenticate(token: token, origin: .cli(operator: "hospital"))
        }
        let clinician = try await services.access.authenticate(
            token: demo.tokens["clinicianA"]!, origin: .cli(operator: "t"))
        return ReferralFixture(
            services: services, demo: demo, patient: patient, oncology: oncology, other: other,
            hospitalSystem: try await system("PJ1"), otherSystem: try await system("SC"), clinician: clinician)
    }

    func draft(urgency: Urgency = .urgent) -> ReferralDraft {
        ReferralDraft(
            patientId: patient.id, hospitalId: oncology.id, departmentId: oncology.departments[0].id,
            reason: "乳腺癌化疗周期到期", clinicalSummary: "53岁女性，新冠轻型，乳腺癌术后辅助化疗第4周期", services: [.chemotherapy],
            urgency: urgency, fastLane: true, committeeContact: "石化街道第三居委会 王主任 13900002222")
    }

    func refer() async throws -> Referral {
        try await services.referrals.create(siteId: site, draft(), actor: clinician).value
    }
}

@Suite("Referrals")
struct ReferralTests {
    @Test(
        "every transition from every state: legal ones by the right side pass, the rest are refused with the allowed states"
    )
    func transitions() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await ReferralFixture.make(db)
            for from in ReferralStatus.allCases {
                for to in ReferralStatus.allCases {
                    let referral = try await f.refer()
                    try await db.client.query(
                        "UPDATE referrals SET status = \(from.rawValue), appointment_at = now(), outcome = 'admitted' WHERE id = \(referral.id)"
                    )
                    let move = ReferralTransition(
                        to: to, note: "reason", appointmentAt: Date().addingTimeInterval(86_400), outcome: .admitted)
                    for (actor, side) in [(f.hospitalSystem, ReferralSide.hospital), (f.clinician, .site)] {
                        let legal = from.allowedNext.contains(to) && (to.movedBy == side || to.movedBy == .either)
                        do {
                            let after = try await f.services.referrals.transition(id: referral.id, move, actor: actor)
                                .value
                            #expect(legal, "\(side) moved \(from) -> \(to)")
                            #expect(after.status == to)
                            #expect(after.events.last?.role == (side == .hospital ? "hospital_system" : "clinician"))
                            try await db.client.query(
                                "UPDATE referrals SET status = \(from.rawValue) WHERE id = \(referral.id)")
                        } catch DomainError.illegalTransition(let f1, let t1, let allowed) {
                            #expect(!legal)
                            #expect((f1, t1) == (from.rawValue, to.rawValue))
                            #expect(allowed == from.allowedNext.map(\.rawValue))
                        } catch DomainError.forbidden {
                            #expect(!legal && from.allowedNext.contains(to), "\(side) \(from) -> \(to)")
                        }
                    }
                }
            }
        }
    }

    @Test("a hospital cannot see or move another hospital's referral: it is not found")
    func otherHospital() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await ReferralFixture.make(db)
            let referral = try await f.refer()
            await #expect(throws: DomainError.notFound("referral not found")) {
                _ = try await f.services.referrals.transition(
                    id: referral.id, ReferralTransition(to: .accepted), actor: f.otherSystem)
            }
            await #expect(throws: DomainError.self) {
                _ = try await f.services.referrals.referral(id: referral.id, actor: f.otherSystem)
            }
            let own = try await f.services.referrals.list(siteId: nil, page: PageRequest(), actor: f.hospitalSystem)
            let others = try await f.services.referrals.list(siteId: nil, page: PageRequest(), actor: f.otherSystem)
            #expect((own.items.count, others.items.count) == (1, 0))
        }
    }

    @Test("an idempotent retry of accept gives one transition")
    func idempotentAccept() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await ReferralFixture.make(db)
            let referral = try await f.refer()
            let key = try IdempotencyKey("accept-\(referral.id)")
            let first = try await f.services.referrals.transition(
                id: referral.id, ReferralTransition(to: .accepted, note: "化疗床位已留"),
                actor: f.hospitalSystem, idempotencyKey: key)
            let retry = try await f.services.referrals.transition(
                id: referral.id, ReferralTransition(to: .accepted, note: "化疗床位已留"),
                actor: f.hospitalSystem, idempotencyKey: key)
            #expect((first.replayed, retry.replayed) == (false, true))
            #expect(
                (retry.value.id, retry.value.status, retry.value.version, retry.value.events.count)
                    == (first.value.id, first.value.status, first.value.version, first.value.events.count))
            #expect(try await db.count("SELECT count(*)::int FROM referral_events WHERE to_status = 'accepted'") == 1)
        }
    }

    @Test("bad input is refused naming the field and writes nothing")
    func badInput() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await ReferralFixture.make(db)
            var unknown = f.draft()
            unknown.hospitalId = 999
            await #expect(throws: DomainError.invalid("hospitalId", "no hospital 999")) {
                _ = try await f.services.referrals.create(siteId: f.site, unknown, actor: f.clinician)
            }
            let referral = try await f.refer()
            _ = try await f.services.referrals.transition(
                id: referral.id, ReferralTransition(to: .accepted), actor: f.hospitalSystem)
            await #expect(throws: DomainError.invalid("appointmentAt", "is required to schedule")) {
                _ = try await f.services.referrals.transition(
                    id: referral.id, ReferralTransition(to: .scheduled), actor: f.hospitalSystem)
            }
            await #expect(throws: DomainError.invalid("note", "must be at most 2000 characters")) {
                _ = try await f.services.referrals.addNote(
                    id: referral.id, note: String(repeating: "长", count: 2001), actor: f.clinician)
            }
            #expect(try await db.count("SELECT count(*)::int FROM referrals") == 1)
            #expect(try await db.count("SELECT count(*)::int FROM referral_events") == 2)
        }
    }

    @Test("an urgent referral not answered within 2 hours is on the escalation list with how late it is")
    func overdue() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await ReferralFixture.make(db)
            let late = try await f.refer()
            _ = try await f.refer()
            try await db.client.query(
                "UPDATE referrals SET created_at = now() - interval '3 hours' WHERE id = \(late.id)")
            let list = try await f.services.referrals.overdue(actor: f.clinician)
            #expect(list.map(\.referralId) == [late.id])
            #expect(list[0].step == .respond)
            #expect((59...61).contains(list[0].minutesLate))
            let targets = try ReferralTargets.parse("urgent.respond=4h")
            #expect(targets.seconds[.urgent]?[.respond] == 14_400)
            #expect(throws: ConfigurationError.self) { try ReferralTargets.parse("urgent.respond=soon") }
        }
    }
}
