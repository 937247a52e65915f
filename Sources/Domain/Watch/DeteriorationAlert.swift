import Foundation

/// How urgently a deteriorating patient needs a clinician.
public enum AlertLevel: String, Sendable, Codable, CaseIterable, Comparable {
    /// NEWS2 5-6, or 3 in a single parameter: an urgent review at the bedside.
    case urgent
    /// NEWS2 7 or more: an emergency response.
    case emergency

    /// The level a score raises, or nil when it raises none.
    public init?(_ score: NEWS2Score) {
        if score.total >= 7 {
            self = .emergency
        } else if score.total >= 5 || score.hasRedScore {
            self = .urgent
        } else {
            return nil
        }
    }

    public static func < (a: Self, b: Self) -> Bool { a == .urgent && b == .emergency }
}

/// An alert raised by a reading: for whom, how urgent, to whom it went, and whether a
/// clinician has acknowledged it or it has been escalated to the site's managers.
public struct DeteriorationAlert: Sendable, Equatable {
    public typealias ID = Tagged<DeteriorationAlert, Int64>
    public var id: ID
    public var siteId: Site.ID
    public var patientId: Patient.ID
    public var patientName: String
    public var zoneCode: String?
    public var bedCode: String?
    public var level: AlertLevel
    public var score: Int
    public var vitalSignsId: VitalSigns.ID
    /// The clinicians on shift in the patient's zone when it was raised, by name.
    public var addressedTo: [String]
    public var raisedAt: Date
    public var acknowledgedAt: Date?
    public var acknowledgedBy: String?
    public var actionTaken: String?

    public init(
        id: ID, siteId: Site.ID, patientId: Patient.ID, patientName: String, zoneCode: String?, bedCode: String?,
        level: AlertLevel, score: Int, vitalSignsId: VitalSigns.ID, addressedTo: [String], raisedAt: Date,
        acknowledgedAt: Date?, acknowledgedBy: String?, actionTaken: String?
    ) {
        self.id = id
        self.siteId = siteId
        self.patientId = patientId
        self.patientName = patientName
        self.zoneCode = zoneCode
        self.bedCode = bedCode
        self.level = level
        self.score = score
        self.vitalSignsId = vitalSignsId
        self.addressedTo = addressedTo
        self.raisedAt = raisedAt
        self.acknowledgedAt = acknowledgedAt
        self.acknowledgedBy = acknowledgedBy
        self.actionTaken = actionTaken
    }

    public var isOpen: Bool { acknowledgedAt == nil }

    /// Open for longer than `minutes`: it has gone to the site's managers.
    public func isEscalated(after minutes: Int, now: Date = Date()) -> Bool {
        isOpen && now.timeIntervalSince(raisedAt) > Double(minutes) * 60
    }
}
