import Foundation

/// The kinds of facility a site can be.
public enum SiteKind: String, Sendable, Codable, CaseIterable {
    case centralisedIsolation = "centralised_isolation"
    case makeshiftHospital = "makeshift_hospital"
    case designatedHospital = "designated_hospital"
}

/// Where a site is in its life.
public enum SiteStatus: String, Sendable, Codable, CaseIterable {
    case planned, open, closed
}

/// An isolation and treatment site.
public struct Site: Sendable, Codable, Equatable {
    public var id: ID
    public var code: String
    public var name: String
    public var district: String
    public var address: String
    public var kind: SiteKind
    public var bedCapacity: Int
    /// Where the site is: its days, shifts and doses are counted in this zone.
    public var timeZone: TimeZone
    public var openedOn: CalendarDate?
    public var closedOn: CalendarDate?
    public var status: SiteStatus
    public var version: Int

    public init(
        id: ID, code: String, name: String, district: String, address: String, kind: SiteKind,
        bedCapacity: Int, timeZone: TimeZone, openedOn: CalendarDate?, closedOn: CalendarDate?,
        status: SiteStatus, version: Int
    ) {
        self.id = id
        self.code = code
        self.name = name
        self.district = district
        self.address = address
        self.kind = kind
        self.bedCapacity = bedCapacity
        self.timeZone = timeZone
        self.openedOn = openedOn
        self.closedOn = closedOn
        self.status = status
        self.version = version
    }
}

/// The fields a person supplies to open a site, or to change one.
public struct SiteDraft: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
    public var district: String
    public var address: String
    public var kind: SiteKind
    public var bedCapacity: Int
    public var timeZone: String
    public var openedOn: CalendarDate?
    public var closedOn: CalendarDate?
    public var status: SiteStatus

    public init(
        code: String, name: String, district: String, address: String, kind: SiteKind, bedCapacity: Int,
        timeZone: String = "Asia/Shanghai", openedOn: CalendarDate? = nil, closedOn: CalendarDate? = nil,
        status: SiteStatus = .open
    ) {
        self.code = code
        self.name = name
        self.district = district
        self.address = address
        self.kind = kind
        self.bedCapacity = bedCapacity
        self.timeZone = timeZone
        self.openedOn = openedOn
        self.closedOn = closedOn
        self.status = status
    }

    /// Every rule a site must satisfy, reported together.
    public func validate() throws {
        var v = Validator()
        v.check(Self.isCode(code), "code", "must be 2-32 letters, digits or dashes, e.g. JS-01")
        v.text(name, "name")
        v.text(district, "district", max: 100)
        v.optionalText(address, "address", max: 300)
        v.check((0...100_000).contains(bedCapacity), "bedCapacity", "must be between 0 and 100000")
        v.check(TimeZone(identifier: timeZone) != nil, "timeZone", "must be an IANA time zone such as Asia/Shanghai")
        if let openedOn, let closedOn {
            v.check(closedOn >= openedOn, "closedOn", "must not be before openedOn")
        }
        v.plannedDay(openedOn, "openedOn")
        v.plannedDay(closedOn, "closedOn")
        v.check(status != .closed || closedOn != nil, "closedOn", "is required when status is closed")
        try v.finish()
    }

    /// Site, zone and bed codes: short, unambiguous on a printed label.
    static func isCode(_ s: String, minimumLength: Int = 2) -> Bool {
        (minimumLength...32).contains(s.count)
            && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}

extension Site {
    /// Today's date where the site is.
    public var today: CalendarDate { CalendarDate(Date(), in: timeZone) }

    /// The first instant of `day` where the site is; 01:00 where a clock change skips midnight.
    public func start(of day: CalendarDate) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.startOfDay(for: midday(of: day))
    }

    /// Noon of `day` where the site is: an instant safe for day arithmetic across daylight-saving changes.
    public func midday(of day: CalendarDate) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 12))!
    }

    /// The date `days` after (or before) `day`.
    public func day(_ days: Int, after day: CalendarDate) -> CalendarDate {
        CalendarDate(midday(of: day).addingTimeInterval(Double(days) * 86_400), in: timeZone)
    }
}

// The zone is written as its IANA identifier (audit snapshots, stored responses), as it is in the database.
extension Site {
    enum CodingKeys: String, CodingKey {
        case id, code, name, district, address, kind, bedCapacity, timeZone, openedOn, closedOn, status, version
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let identifier = try c.decode(String.self, forKey: .timeZone)
        guard let zone = TimeZone(identifier: identifier) else {
            throw DecodingError.dataCorruptedError(
                forKey: .timeZone, in: c, debugDescription: "unknown time zone \(identifier)")
        }
        self.init(
            id: try c.decode(ID.self, forKey: .id), code: try c.decode(String.self, forKey: .code),
            name: try c.decode(String.self, forKey: .name), district: try c.decode(String.self, forKey: .district),
            address: try c.decode(String.self, forKey: .address), kind: try c.decode(SiteKind.self, forKey: .kind),
            bedCapacity: try c.decode(Int.self, forKey: .bedCapacity), timeZone: zone,
            openedOn: try c.decodeIfPresent(CalendarDate.self, forKey: .openedOn),
            closedOn: try c.decodeIfPresent(CalendarDate.self, forKey: .closedOn),
            status: try c.decode(SiteStatus.self, forKey: .status), version: try c.decode(Int.self, forKey: .version))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(code, forKey: .code)
        try c.encode(name, forKey: .name)
        try c.encode(district, forKey: .district)
        try c.encode(address, forKey: .address)
        try c.encode(kind, forKey: .kind)
        try c.encode(bedCapacity, forKey: .bedCapacity)
        try c.encode(timeZone.identifier, forKey: .timeZone)
        try c.encodeIfPresent(openedOn, forKey: .openedOn)
        try c.encodeIfPresent(closedOn, forKey: .closedOn)
        try c.encode(status, forKey: .status)
        try c.encode(version, forKey: .version)
    }
}
