import ArgumentParser
import Domain
import Foundation
import Services

struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Deterioration alerts: NEWS2 5 or more, or a 3 in one parameter, for the clinicians on shift.",
        subcommands: [List.self, Acknowledge.self])

    struct List: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "The site's alerts, open first and emergencies first among them.")
        @Argument(help: "Site code.") var site: String
        @Flag(help: "Acknowledged ones too.") var all = false

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let alerts = try await cli.services.alerts.alerts(siteId: site.id, openOnly: !all, actor: cli.actor)
            Output.table(
                ["ID", "LEVEL", "NEWS2", "PATIENT", "WHERE", "RAISED", "TO", "ESCALATED", "ACKNOWLEDGED"],
                alerts.map { v in
                    let a = v.alert
                    return [
                        String(a.id), a.level.rawValue, String(a.score), "\(a.patientName) (\(a.patientId))",
                        [a.zoneCode, a.bedCode].compactMap { $0 }.joined(separator: " "), Output.time(a.raisedAt),
                        a.addressedTo.isEmpty ? "nobody on shift" : a.addressedTo.joined(separator: ", "),
                        v.escalated ? "yes" : "", a.acknowledgedBy.map { "\($0): \(a.actionTaken ?? "")" } ?? "",
                    ]
                })
        }
    }

    struct Acknowledge: OneSiteCommand {
        static let configuration = CommandConfiguration(
            commandName: "ack", abstract: "Acknowledge an alert with what was done (a clinician).")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "Alert id.") var alert: Int64
        @Option(help: "What was done.") var action: String

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let done = try await cli.services.alerts.acknowledge(
                siteId: site.id, alertId: DeteriorationAlert.ID(rawValue: alert), action: action, actor: cli.actor)
            print("alert \(done.alert.id) acknowledged by \(done.alert.acknowledgedBy ?? "")")
        }
    }
}
