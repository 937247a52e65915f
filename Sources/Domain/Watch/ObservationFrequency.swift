import Foundation

/// How often a patient's observations are due (NEWS2's guidance, chart 5), tightened for a
/// patient at high risk from admission.
public enum ObservationFrequency: String, Sendable, Codable, CaseIterable {
    case twelveHourly = "12h"
    case sixHourly = "6h"
    case fourHourly = "4h"
    case hourly = "1h"
    /// Continuous monitoring: a set is expected at least every 15 minutes.
    case continuous

    /// The longest a patient should go without a set.
    public var interval: TimeInterval {
        switch self {
        case .twelveHourly: 12 * 3600
        case .sixHourly: 6 * 3600
        case .fourHourly: 4 * 3600
        case .hourly: 3600
        case .continuous: 15 * 60
        }
    }

    /// The frequency for the latest score (nil before any complete set) and the admission risk:
    /// 0 is 12-hourly, 1-4 4-6-hourly, 5-6 or a red 3 hourly, 7 or more continuous; a
    /// high-risk patient no less often than 4-hourly, and 4-hourly before the first set.
    public static func due(after score: NEWS2Score?, highRisk: Bool) -> ObservationFrequency {
        let byScore: ObservationFrequency
        switch score.map({ ($0.total, $0.hasRedScore) }) {
        case nil: byScore = .fourHourly
        case (7..., _)?: byScore = .continuous
        case (5...6, _)?, (_, true)?: byScore = .hourly
        case (1...4, _)?: byScore = .sixHourly
        default: byScore = .twelveHourly
        }
        return highRisk && byScore.interval > fourHourly.interval ? .fourHourly : byScore
    }
}
