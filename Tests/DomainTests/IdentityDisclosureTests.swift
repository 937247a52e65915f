import Domain
import Foundation
import Testing

@Suite("Identity disclosure")
struct IdentityDisclosureTests {
    let stored = Patient(
        id: 1, siteId: 7, name: "Test", sex: .female, dateOfBirth: CalendarDate(year: 1949, month: 12, day: 31),
        phone: "13900000000", nationalId: "11010519491231002X", severity: .mild, partyMember: false, status: .admitted,
        bedId: 1, bedCode: "A-001", admittedAt: .now, dischargedAt: nil, dischargeReason: nil, version: 1)
    let today = CalendarDate(year: 2022, month: 4, day: 10)

    func actor(_ role: Role, site: Site.ID? = 7, hospital: Hospital.ID? = nil) -> Actor {
        Actor(
            userId: 1, username: "u", grants: [Grant(role: role, siteId: role == .admin ? nil : site)], origin: .seed,
            hospitalId: hospital)
    }

    @Test("the README's table: what each role sees of a patient of its own site")
    func table() {
        let expected: [(Role, id: String, born: Bool, phone: Bool)] = [
            (.admin, "11010519491231002X", true, true),
            (.siteManager, "11010519491231002X", true, true),
            (.clinician, "**************002X", true, true),
            (.pharmacist, "**************002X", false, false),
            (.branchSecretary, "**************002X", false, false),
            (.hospitalSystem, "**************002X", false, false),
        ]
        for (role, id, born, phone) in expected {
            let seen = stored.visible(to: actor(role), today: today)
            #expect(seen.nationalId == id, "\(role)")
            #expect((seen.dateOfBirth != nil) == born, "\(role)")
            #expect((seen.phone != nil) == phone, "\(role)")
            #expect(seen.ageYears == 72, "\(role)")
            #expect(seen.nationalIdMasked == (id != stored.nationalId), "\(role)")
        }
        // A manager of another site holds no role at this one: the least.
        #expect(stored.visible(to: actor(.siteManager, site: 8), today: today).disclosure == .minimal)
    }

    @Test("no masked view carries enough to rebuild the number: at most its last 4 characters are readable")
    func maskedViewsCannotBeUndone() {
        for level in IdentityDisclosure.allCases where level != .full {
            let seen = stored.disclosed(level, today: today)
            let readable = seen.nationalId.filter { $0 != "*" }
            #expect(readable.count <= 4)
            // Whatever else the copy carries, the region (the first 6) is nowhere in it.
            let text = String(decoding: try! JSONEncoder().encode(seen), as: UTF8.self)
            #expect(!text.contains("110105"), "\(level): \(text)")
        }
    }

    @Test("narrowing is one way: a masked copy asked for full stays masked")
    func neverWidens() {
        let minimal = stored.disclosed(.minimal, today: today)
        let widened = minimal.disclosed(.full, today: today)
        #expect(widened.nationalId == "**************002X")
        #expect(widened.dateOfBirth == nil)
        #expect(widened.phone == nil)
        #expect(widened.disclosure == .minimal)
    }

    @Test("a hospital reads in full the patients referred to it, and only those")
    func referredHospital() {
        let identity = PersonIdentity(
            name: "Test", sex: .female, nationalId: stored.nationalId, dateOfBirth: stored.dateOfBirth!,
            phone: stored.phone, today: today)
        let referral = Referral(
            id: 1, siteId: 7, patientId: 1, patientName: "Test", hospitalId: 3, departmentId: nil, reason: "r",
            clinicalSummary: "s", services: [.dialysis], urgency: .urgent, fastLane: false, committeeContact: "",
            requestedBy: "dr", status: .requested, appointmentAt: nil, outcome: nil, createdAt: .now, updatedAt: .now,
            version: 1)
        var withPatient = referral
        withPatient.patient = identity
        #expect(
            withPatient.visible(to: actor(.hospitalSystem, site: nil, hospital: 3)).patient?.nationalId
                == stored.nationalId)
        #expect(
            withPatient.visible(to: actor(.hospitalSystem, site: nil, hospital: 4)).patient?.nationalId
                == "**************002X")
        #expect(withPatient.visible(to: actor(.clinician)).patient?.dateOfBirth != nil)
        #expect(withPatient.visible(to: actor(.pharmacist)).patient?.dateOfBirth == nil)
    }

    @Test("age in whole years, counting the birthday itself")
    func age() {
        let born = CalendarDate(year: 1969, month: 9, day: 2)
        #expect(born.age(on: CalendarDate(year: 2022, month: 9, day: 1)) == 52)
        #expect(born.age(on: CalendarDate(year: 2022, month: 9, day: 2)) == 53)
        #expect(born.age(on: CalendarDate(year: 1969, month: 9, day: 2)) == 0)
    }
}
