import Domain
import Testing

@Suite("Beds, paging and access rules")
struct RulesTests {
    @Test("a bed range makes zero-padded codes in order")
    func bedRangeCodes() throws {
        let range = BedRange(zoneId: 1, prefix: "A-", first: 8, last: 11, width: 3)
        try range.validate()
        #expect(range.codes == ["A-008", "A-009", "A-010", "A-011"])
    }

    @Test("a bed range that is backwards or too wide is refused, naming the field")
    func bedRangeRefused() {
        #expect(throws: DomainError.invalid("last", "must not be below first")) {
            try BedRange(zoneId: 1, prefix: "A-", first: 5, last: 4, width: 3).validate()
        }
        #expect(throws: DomainError.invalid("last", "a range may hold at most 2000 beds")) {
            try BedRange(zoneId: 1, prefix: "A-", first: 1, last: 5000, width: 4).validate()
        }
    }

    @Test("occupancy is never set by hand, and cleaning can go back to free")
    func bedStatusChanges() throws {
        try BedStatus.cleaning.checkManualChange(to: .free)
        #expect(
            throws: DomainError.illegalTransition(
                from: "free", to: "occupied", allowed: ["cleaning", "out_of_service"])
        ) {
            try BedStatus.free.checkManualChange(to: .occupied)
        }
        #expect(throws: DomainError.illegalTransition(from: "occupied", to: "free", allowed: [])) {
            try BedStatus.occupied.checkManualChange(to: .free)
        }
    }

    @Test("cursors round-trip and a forged cursor is refused")
    func cursors() throws {
        #expect(PageCursor.decode(PageCursor.encode(12345)) == 12345)
        #expect(
            throws: DomainError.invalid("cursor", "is not a cursor this service issued; use the `next` link as given")
        ) {
            try PageRequest(cursor: "garbage", limit: 10)
        }
        #expect(throws: DomainError.invalid("limit", "must be between 1 and 500")) {
            try PageRequest(cursor: nil, limit: 0)
        }
    }

    @Test("a user with no grant at a site gets not-found; a wrong role gets forbidden")
    func access() throws {
        let clinician = Actor(userId: 1, username: "c", grants: [Grant(role: .clinician, siteId: 1)], origin: .seed)
        try clinician.require([.clinician], at: 1)
        #expect(throws: DomainError.notFound("site not found")) { try clinician.require([.clinician], at: 2) }
        #expect(throws: DomainError.forbidden("role clinician may not do this; needs one of site_manager")) {
            try clinician.require([.siteManager], at: 1)
        }
        #expect(clinician.visibleSiteIds == [1])
        #expect(Actor.cliOperator("root").visibleSiteIds == nil)
    }

    @Test("site validation reports every broken field at once")
    func siteValidation() {
        let draft = SiteDraft(
            code: "x", name: " ", district: "D", address: "", kind: .makeshiftHospital, bedCapacity: -1,
            timeZone: "Mars/Olympus")
        #expect(
            throws: DomainError.invalid([
                FieldIssue(field: "code", detail: "must be 2-32 letters, digits or dashes, e.g. JS-01"),
                FieldIssue(field: "name", detail: "must not be empty"),
                FieldIssue(field: "bedCapacity", detail: "must be between 0 and 100000"),
                FieldIssue(field: "timeZone", detail: "must be an IANA time zone such as Asia/Shanghai"),
            ])
        ) { try draft.validate() }
    }
}

@Suite("Small value formats")
struct FormatTests {
    @Test("calendar dates print as YYYY-MM-DD and refuse impossible days")
    func calendarDates() {
        #expect(CalendarDate(year: 2022, month: 4, day: 3).description == "2022-04-03")
        #expect(CalendarDate("2024-02-29") != nil)
        #expect(CalendarDate("2022-02-29") == nil)
        #expect(CalendarDate("2022-4-3") == nil)
    }

    @Test("bytes print as lower-case hex")
    func hex() {
        #expect([0x00, 0x0f, 0xa5, 0xff].hexString == "000fa5ff")
    }
}
