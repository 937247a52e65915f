import ArgumentParser
import Domain
import Foundation
import Services

struct SwabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swab", abstract: "The daily swab round: schedule, round, tubes and collection.",
        subcommands: [
            Schedule.self, Round.self, List.self, Labels.self, Wristband.self, Collect.self, Send.self, Boxes.self,
        ])

    struct Schedule: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show how often a site swabs, or set it with --first-day and --interval.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "Days after the day of admission of the first swab (0-7).") var firstDay: Int?
        @Option(help: "Days between swabs (1-7).") var interval: Int?

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            var schedule = try await cli.services.swabs.schedule(siteId: site.id, actor: cli.actor)
            if firstDay != nil || interval != nil {
                schedule.firstDayAfterAdmission = firstDay ?? schedule.firstDayAfterAdmission
                schedule.intervalDays = interval ?? schedule.intervalDays
                schedule = try await cli.services.swabs.setSchedule(siteId: site.id, schedule, actor: cli.actor)
            }
            print(
                "\(site.code): first swab \(schedule.firstDayAfterAdmission) day(s) after admission, then every "
                    + "\(schedule.intervalDays) day(s)")
        }
    }

    struct Round: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make the day's swab round (safe to repeat: adds only who became due since).")
        @Argument(help: "Site code.") var site: String
        @Option(help: "The round's day, YYYY-MM-DD: the site's today (default) or tomorrow.") var date: String?
        @OptionGroup var output: OutputOptions

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let made = try await cli.services.swabs.makeRound(
                siteId: site.id, day: try date.map { try parseDate($0, "--date") }, actor: cli.actor)
            if output.json { return try Output.json(made) }
            print(
                "round of \(made.round.date): \(made.added) tube(s) printed, \(made.moved.count) moved, "
                    + "\(made.cancelled) cancelled")
            if !made.moved.isEmpty {
                print("reprint the labels of: " + made.moved.map(\.description).joined(separator: " "))
            }
            if !made.unplaced.isEmpty {
                print(
                    "due but in no bed (no tube printed): patients "
                        + made.unplaced.map { String($0) }.joined(separator: ", "))
            }
            SwabCommand.printTally(made.round)
        }
    }

    static func printTally(_ round: SwabRound) {
        Output.table(
            ["ZONE", "PRINTED", "DUE", "COLLECTED", "NOT COLLECTED", "SENT", "RESULTED", "CANCELLED"],
            (round.zones.map { ($0.zoneCode, $0.tally) } + [("total", round.total)]).map { code, t in
                [code]
                    + [t.printed, t.due, t.collected, t.notCollected, t.sent, t.resulted, t.cancelled].map(String.init)
            })
    }

    struct List: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "List a round's tubes, in print order.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "The round's day, YYYY-MM-DD (default the site's today).") var date: String?
        @Option(help: "Only this zone (code).") var zone: String?
        @Option(help: "Only tubes in this state: due, collected, not_collected, sent, resulted, cancelled.")
        var status: String?
        @OptionGroup var output: OutputOptions

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let day = try date.map { try parseDate($0, "--date") } ?? site.today
            let status: SpecimenStatus? = try status.map { try parseChoice($0, "--status") }
            let zoneId = try await zone.asyncMap {
                try await cli.services.sites.zone(siteId: site.id, code: $0, actor: cli.actor).id
            }
            let tubes = try await allPages {
                try await cli.services.swabs.tubes(
                    siteId: site.id, day: day, zoneId: zoneId, status: status, page: $0, actor: cli.actor)
            }
            if output.json { return try Output.json(tubes) }
            Output.table(
                ["ACCESSION", "ZONE", "BED", "PATIENT", "NAME", "STATUS", "COLLECTED"],
                tubes.map {
                    [
                        $0.accession.description, $0.zoneCode, $0.bedCode, String($0.patientId), $0.patientName,
                        ($0.notCollectedReason.map { "not collected (\($0.rawValue))" } ?? $0.status.rawValue),
                        Output.time($0.collectedAt, zone: site.timeZone),
                    ]
                })
        }
    }

    struct Labels: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a round's tube labels to a PDF: a zone, the whole round, or the tubes named (to reprint).")
        @Argument(help: "Site code.") var site: String
        @Option(help: "The round's day, YYYY-MM-DD (default the site's today).") var date: String?
        @Option(help: "Only this zone (code).") var zone: String?
        @Option(help: "a4 (sheets of 3 x 8) or thermal (50 x 25 mm).") var sheet = "a4"
        @Option(help: "Only this tube; repeat for more.") var accession: [String] = []
        @Option(help: "The PDF file to write.") var out: String

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let sheet: LabelSheet = try parseChoice(sheet, "--sheet")
            let zoneId = try await zone.asyncMap {
                try await cli.services.sites.zone(siteId: site.id, code: $0, actor: cli.actor).id
            }
            let pdf = try await cli.services.swabs.labels(
                siteId: site.id, day: try date.map { try parseDate($0, "--date") } ?? site.today, zoneId: zoneId,
                accessions: try accession.map { try AccessionNumber(parsing: $0, field: "--accession") }, sheet: sheet,
                actor: cli.actor)
            try pdf.write(to: URL(fileURLWithPath: out))
            print("labels written to \(out) (\(pdf.count) bytes)")
        }
    }

    struct Wristband: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "Print a patient's wristband to a PDF.")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "Patient id.") var patient: Patient.ID
        @Option(help: "The PDF file to write.") var out: String

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let pdf = try await cli.services.swabs.wristband(siteId: site.id, patientId: patient, actor: cli.actor)
            try pdf.write(to: URL(fileURLWithPath: out))
            print("wristband of patient \(patient) written to \(out)")
        }
    }

    struct Collect: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a tube taken (with the patient's wristband code) or not taken (with a reason).")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "The tube's accession number, e.g. S00000123458.") var accession: String
        @Option(help: "The code on the patient's wristband, e.g. P00000001234X.") var wristband: String?
        @Option(help: "Not taken: refused, asleep, transferred or other.") var notCollected: String?
        @Option(help: "When it was taken (site time or RFC 3339; default now).") var at: String?

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let number = try AccessionNumber(parsing: accession)
            let outcome: CollectionOutcome
            switch (wristband, notCollected) {
            case (let band?, nil):
                outcome = .collected(
                    wristband: try WristbandCode(parsing: band, field: "--wristband"),
                    at: try at.map { try parseTime($0, "--at", zone: site.timeZone) } ?? Date())
            case (nil, let reason?):
                outcome = .notCollected(try parseChoice(reason, "--not-collected"))
            default:
                throw ValidationError("give either --wristband (taken) or --not-collected REASON (not taken)")
            }
            let tube = try await cli.services.swabs.recordCollection(
                siteId: site.id, accession: number, outcome, actor: cli.actor)
            print("tube \(tube.accession) of \(tube.patientName) (bed \(tube.bedCode)): \(tube.status.rawValue)")
        }
    }
}
