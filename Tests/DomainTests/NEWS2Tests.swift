import Domain
import Testing

@Suite("NEWS2 as the Royal College of Physicians' chart scores it")
struct NEWS2Tests {
    typealias Change = @Sendable (inout NEWS2Reading) -> Void

    /// A set that scores 0 everywhere; each case changes one parameter.
    static let calm = NEWS2Reading(
        respirationRate: 16, spo2: 97, onOxygen: false, systolic: 120, pulse: 70, consciousness: .alert,
        temperatureTenths: 370)

    /// Every band edge of chart 1, one parameter at a time: the value and the score it gets.
    static let edges: [(String, Change, Int)] = [
        ("respiration 8", { $0.respirationRate = 8 }, 3), ("respiration 9", { $0.respirationRate = 9 }, 1),
        ("respiration 11", { $0.respirationRate = 11 }, 1), ("respiration 12", { $0.respirationRate = 12 }, 0),
        ("respiration 20", { $0.respirationRate = 20 }, 0), ("respiration 21", { $0.respirationRate = 21 }, 2),
        ("respiration 24", { $0.respirationRate = 24 }, 2), ("respiration 25", { $0.respirationRate = 25 }, 3),
        ("SpO2 scale 1 91", { $0.spo2 = 91 }, 3), ("SpO2 scale 1 92", { $0.spo2 = 92 }, 2),
        ("SpO2 scale 1 93", { $0.spo2 = 93 }, 2), ("SpO2 scale 1 94", { $0.spo2 = 94 }, 1),
        ("SpO2 scale 1 95", { $0.spo2 = 95 }, 1), ("SpO2 scale 1 96", { $0.spo2 = 96 }, 0),
        (
            "SpO2 scale 2 83",
            {
                $0.scale = .two
                $0.spo2 = 83
            }, 3
        ),
        (
            "SpO2 scale 2 84",
            {
                $0.scale = .two
                $0.spo2 = 84
            }, 2
        ),
        (
            "SpO2 scale 2 85",
            {
                $0.scale = .two
                $0.spo2 = 85
            }, 2
        ),
        (
            "SpO2 scale 2 86",
            {
                $0.scale = .two
                $0.spo2 = 86
            }, 1
        ),
        (
            "SpO2 scale 2 87",
            {
                $0.scale = .two
                $0.spo2 = 87
            }, 1
        ),
        (
            "SpO2 scale 2 88",
            {
                $0.scale = .two
                $0.spo2 = 88
            }, 0
        ),
        (
            "SpO2 scale 2 92",
            {
                $0.scale = .two
                $0.spo2 = 92
            }, 0
        ),
        (
            "SpO2 scale 2 93 on air",
            {
                $0.scale = .two
                $0.spo2 = 93
            }, 0
        ),
        (
            "SpO2 scale 2 100 on air",
            {
                $0.scale = .two
                $0.spo2 = 100
            }, 0
        ),
        (
            "SpO2 scale 2 93 on oxygen",
            {
                $0.scale = .two
                $0.spo2 = 93
                $0.onOxygen = true
            }, 1 + 2
        ),
        (
            "SpO2 scale 2 94 on oxygen",
            {
                $0.scale = .two
                $0.spo2 = 94
                $0.onOxygen = true
            }, 1 + 2
        ),
        (
            "SpO2 scale 2 95 on oxygen",
            {
                $0.scale = .two
                $0.spo2 = 95
                $0.onOxygen = true
            }, 2 + 2
        ),
        (
            "SpO2 scale 2 96 on oxygen",
            {
                $0.scale = .two
                $0.spo2 = 96
                $0.onOxygen = true
            }, 2 + 2
        ),
        (
            "SpO2 scale 2 97 on oxygen",
            {
                $0.scale = .two
                $0.spo2 = 97
                $0.onOxygen = true
            }, 3 + 2
        ),
        ("oxygen", { $0.onOxygen = true }, 2),
        ("systolic 90", { $0.systolic = 90 }, 3), ("systolic 91", { $0.systolic = 91 }, 2),
        ("systolic 100", { $0.systolic = 100 }, 2), ("systolic 101", { $0.systolic = 101 }, 1),
        ("systolic 110", { $0.systolic = 110 }, 1), ("systolic 111", { $0.systolic = 111 }, 0),
        ("systolic 219", { $0.systolic = 219 }, 0), ("systolic 220", { $0.systolic = 220 }, 3),
        ("pulse 40", { $0.pulse = 40 }, 3), ("pulse 41", { $0.pulse = 41 }, 1), ("pulse 50", { $0.pulse = 50 }, 1),
        ("pulse 51", { $0.pulse = 51 }, 0), ("pulse 90", { $0.pulse = 90 }, 0), ("pulse 91", { $0.pulse = 91 }, 1),
        ("pulse 110", { $0.pulse = 110 }, 1), ("pulse 111", { $0.pulse = 111 }, 2),
        ("pulse 130", { $0.pulse = 130 }, 2), ("pulse 131", { $0.pulse = 131 }, 3),
        ("confusion", { $0.consciousness = .confusion }, 3), ("voice", { $0.consciousness = .voice }, 3),
        ("pain", { $0.consciousness = .pain }, 3), ("unresponsive", { $0.consciousness = .unresponsive }, 3),
        ("temperature 35.0", { $0.temperatureTenths = 350 }, 3),
        ("temperature 35.1", { $0.temperatureTenths = 351 }, 1),
        ("temperature 36.0", { $0.temperatureTenths = 360 }, 1),
        ("temperature 36.1", { $0.temperatureTenths = 361 }, 0),
        ("temperature 38.0", { $0.temperatureTenths = 380 }, 0),
        ("temperature 38.1", { $0.temperatureTenths = 381 }, 1),
        ("temperature 39.0", { $0.temperatureTenths = 390 }, 1),
        ("temperature 39.1", { $0.temperatureTenths = 391 }, 2),
    ]

    @Test("each band edge of the chart scores as published", arguments: 0..<edges.count)
    func bandEdge(_ index: Int) {
        let (name, change, expected) = Self.edges[index]
        var reading = Self.calm
        change(&reading)
        #expect(NEWS2Score(reading).total == expected, "\(name)")
    }

    @Test("the response bands: 0-4 low, a single 3 low-medium, 5-6 medium, 7 or more high")
    func responseBands() {
        var r = Self.calm
        #expect(NEWS2Score(r).response == .low && NEWS2Score(r).total == 0)
        r.pulse = 111  // 2
        r.respirationRate = 21  // 2
        #expect(NEWS2Score(r).total == 4 && NEWS2Score(r).response == .low)
        r = Self.calm
        r.consciousness = .voice
        #expect(NEWS2Score(r).total == 3 && NEWS2Score(r).response == .lowMedium && NEWS2Score(r).hasRedScore)
        r.pulse = 111
        #expect(NEWS2Score(r).total == 5 && NEWS2Score(r).response == .medium)
        r.onOxygen = true
        #expect(NEWS2Score(r).total == 7 && NEWS2Score(r).response == .high)
    }

    @Test("how often observations are due follows the score, and a high-risk patient is seen at least 4-hourly")
    func frequency() {
        var r = Self.calm
        #expect(ObservationFrequency.due(after: NEWS2Score(r), highRisk: false) == .twelveHourly)
        #expect(ObservationFrequency.due(after: NEWS2Score(r), highRisk: true) == .fourHourly)
        #expect(ObservationFrequency.due(after: nil, highRisk: false) == .fourHourly)
        r.pulse = 95
        #expect(ObservationFrequency.due(after: NEWS2Score(r), highRisk: false) == .sixHourly)
        r = Self.calm
        r.systolic = 85
        #expect(ObservationFrequency.due(after: NEWS2Score(r), highRisk: false) == .hourly, "a red 3")
        r.pulse = 120
        #expect(ObservationFrequency.due(after: NEWS2Score(r), highRisk: false) == .hourly, "5")
        r.onOxygen = true
        #expect(ObservationFrequency.due(after: NEWS2Score(r), highRisk: true) == .continuous, "7")
    }

    /// Each parameter's values from the middle of its normal band outwards, in both directions
    /// where the chart has two: a reading further out never scores less.
    static let worsening: [(String, [Change])] = [
        ("respiration down", (0...16).reversed().map { v in { $0.respirationRate = v } }),
        ("respiration up", (16...60).map { v in { $0.respirationRate = v } }),
        ("SpO2 scale 1 down", (50...100).reversed().map { v in { $0.spo2 = v } }),
        (
            "SpO2 scale 2 down",
            (50...90).reversed().map { v in
                {
                    $0.scale = .two
                    $0.spo2 = v
                }
            }
        ),
        (
            "SpO2 scale 2 up on oxygen",
            (90...100).map { v in
                {
                    $0.scale = .two
                    $0.onOxygen = true
                    $0.spo2 = v
                }
            }
        ),
        ("systolic down", (40...150).reversed().map { v in { $0.systolic = v } }),
        ("systolic up", (150...300).map { v in { $0.systolic = v } }),
        ("pulse down", (20...70).reversed().map { v in { $0.pulse = v } }),
        ("pulse up", (70...250).map { v in { $0.pulse = v } }),
        ("temperature down", (300...370).reversed().map { v in { $0.temperatureTenths = v } }),
        ("temperature up", (370...430).map { v in { $0.temperatureTenths = v } }),
        ("consciousness", Consciousness.allCases.map { c in { $0.consciousness = c } }),
    ]

    @Test("worsening one parameter never lowers the score, whatever the others are", arguments: 0..<worsening.count)
    func monotone(_ index: Int) {
        let (name, steps) = Self.worsening[index]
        // Against several backgrounds: calm, and each other parameter at its worst.
        var backgrounds = [Self.calm]
        for change: Change in [
            { $0.respirationRate = 30 }, { $0.pulse = 140 }, { $0.systolic = 80 }, { $0.temperatureTenths = 345 },
            { $0.consciousness = .pain }, { $0.onOxygen = true },
        ] {
            var r = Self.calm
            change(&r)
            backgrounds.append(r)
        }
        for background in backgrounds {
            var previous = -1
            for step in steps {
                var r = background
                step(&r)
                let total = NEWS2Score(r).total
                #expect(total >= previous, "\(name): \(r)")
                previous = total
            }
        }
    }
}
