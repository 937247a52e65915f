import ArgumentParser
import Domain
import Foundation
import Services

struct VitalsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vitals", abstract: "Vital signs taken at the bedside, scored by NEWS2.",
        subcommands: [Record.self, List.self, Scale.self])

    struct Record: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a set of vital signs; a complete set is scored by NEWS2, a partial one kept unscored.")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "Patient id.") var patient: Int64
        @Option(help: "When it was taken (site time, YYYY-MM-DDTHH:MM); now if left out.") var takenAt: String?
        @Option(help: "Respiration rate, breaths/min.") var respiration: Int?
        @Option(help: "SpO2, %.") var spo2: Int?
        @Option(help: "air or oxygen.") var oxygen: String?
        @Option(help: "Systolic blood pressure, mmHg.") var systolic: Int?
        @Option(help: "Pulse, beats/min.") var pulse: Int?
        @Option(help: "ACVPU: alert, confusion, voice, pain or unresponsive.") var consciousness: String?
        @Option(help: "Temperature, °C.") var temperature: Double?

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let onOxygen: Bool? = try oxygen.map {
                switch $0 {
                case "air": return false
                case "oxygen": return true
                default: throw ValidationError("--oxygen is air or oxygen")
                }
            }
            let kept = try await cli.services.vitalSigns.record(
                siteId: site.id, patientId: Patient.ID(rawValue: patient),
                VitalSignsDraft(
                    takenAt: try takenAt.map { try parseTime($0, "--taken-at", zone: site.timeZone) } ?? Date(),
                    respirationRate: respiration, spo2: spo2, onOxygen: onOxygen, systolic: systolic, pulse: pulse,
                    consciousness: try consciousness.map { try parseChoice($0, "--consciousness") },
                    temperature: temperature),
                actor: cli.actor)
            if let score = kept.score {
                print(
                    "set \(kept.id) kept: NEWS2 \(score.total) (\(score.response.rawValue)\(score.hasRedScore ? ", a red 3" : ""))"
                )
            } else {
                print("set \(kept.id) kept, partial: not scored until all seven are taken")
            }
        }
    }

    struct List: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "A patient's sets, the latest first.")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "Patient id.") var patient: Int64
        @Option(help: "Show at most this many (1-1000).") var last: Int = 20
        @OptionGroup var output: OutputOptions

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let sets = try await cli.services.vitalSigns.list(
                siteId: site.id, patientId: Patient.ID(rawValue: patient), limit: last, actor: cli.actor)
            if output.json {
                return try Output.json(
                    sets.map {
                        VitalsLine(
                            id: $0.id.rawValue, takenAt: $0.values.takenAt, takenBy: $0.takenBy, values: $0.values,
                            spo2Scale: $0.scale.rawValue, news2: $0.score?.total, response: $0.score?.response.rawValue)
                    })
            }
            func text<T>(_ value: T?) -> String { value.map { "\($0)" } ?? "-" }
            Output.table(
                ["TAKEN", "RR", "SPO2", "O2", "SBP", "PULSE", "ACVPU", "TEMP", "NEWS2", "BY"],
                sets.map { s in
                    let v = s.values
                    return [
                        Output.time(v.takenAt), text(v.respirationRate),
                        text(v.spo2) + (s.scale == .two ? " (scale 2)" : ""),
                        v.onOxygen.map { $0 ? "oxygen" : "air" } ?? "-", text(v.systolic), text(v.pulse),
                        text(v.consciousness?.rawValue), text(v.temperature),
                        s.score.map { "\($0.total) \($0.response.rawValue)" } ?? "partial", s.takenBy,
                    ]
                })
        }
    }

    struct Scale: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "Score a patient's SpO2 on scale 2 (hypercapnic respiratory failure) or back on scale 1.")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "Patient id.") var patient: Int64
        @Argument(help: "1 or 2.") var scale: Int

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            guard let chosen = SpO2Scale(rawValue: scale) else { throw ValidationError("the scale is 1 or 2") }
            try await cli.services.vitalSigns.setScale(
                siteId: site.id, patientId: Patient.ID(rawValue: patient), chosen, actor: cli.actor)
            print("patient \(patient): SpO2 scored on scale \(scale) from the next set")
        }
    }
}

/// A set as `cordon vitals list --json` writes it.
private struct VitalsLine: Encodable {
    var id: Int64
    var takenAt: Date
    var takenBy: String
    var values: VitalSignsDraft
    var spo2Scale: Int
    var news2: Int?
    var response: String?
}
