/// What intake needs to know of a bed besides its code and status.
public struct BedAttributes: Sendable, Codable, Equatable, Hashable {
    /// The closed room the bed stands in (a hotel room, a ward), if any.
    public var room: String?
    /// The open bay of a hall the bed stands in, if any; a bed is in a room or a bay, not both.
    public var bay: String?
    /// Within sight of the nurses' station: for the old, the pregnant and the frail.
    public var nearStation: Bool
    /// Reachable and usable from a wheelchair.
    public var accessible: Bool
    /// Has piped or bottled oxygen at the bedside.
    public var oxygen: Bool
    /// The sex the bed's whole room or bay is kept for; nil when it is mixed or unset.
    public var singleSex: Sex?

    public init(
        room: String? = nil, bay: String? = nil, nearStation: Bool = false, accessible: Bool = false,
        oxygen: Bool = false, singleSex: Sex? = nil
    ) {
        self.room = room
        self.bay = bay
        self.nearStation = nearStation
        self.accessible = accessible
        self.oxygen = oxygen
        self.singleSex = singleSex
    }

    /// A bed with no attributes set.
    public static let none = BedAttributes()

    /// The room or bay as one key and as people read it ("room 301", "bay B3"), as the database
    /// keys it; nil for a bed standing alone.
    public var place: String? {
        if let room { return "room " + room }
        if let bay { return "bay " + bay }
        return nil
    }

    /// Why a patient of `sex` may not lie in bed `code` with these attributes, or nil when they may.
    public func refusal(of sex: Sex, bedCode code: String) -> String? {
        guard let kept = singleSex, kept != sex else { return nil }
        return "bed \(code) is in \(place ?? "a place") kept for \(kept.plural); the patient is \(sex.rawValue)"
    }

    /// Checks labels and that a single-sex mark has a room or bay to apply to. Fields are named
    /// within `parent` (`attributes.room`), or alone when the attributes are the whole body.
    public func validate(in parent: String? = "attributes") throws {
        func field(_ name: String) -> String { parent.map { "\($0).\(name)" } ?? name }
        var v = Validator()
        for (name, label) in [("room", room), ("bay", bay)] {
            guard let label else { continue }
            v.check(
                (1...32).contains(label.count) && label.trimmedOfWhitespace == label
                    && !label.contains(where: \.isNewline),
                field(name), "must be 1-32 characters without surrounding spaces")
        }
        v.check(room == nil || bay == nil, field("bay"), "a bed stands in a room or a bay, not both")
        v.check(
            singleSex == nil || place != nil, field("singleSex"), "only a room or a bay can be kept for one sex")
        try v.finish()
    }
}
