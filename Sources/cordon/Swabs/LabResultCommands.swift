import ArgumentParser
import Domain
import Foundation
import Services

extension LaboratoryCommand {
    struct Token: CordonCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Issue a bearer token for the laboratory's system, which may only send that laboratory's results; its earlier tokens stop working within a day."
        )
        @Argument(help: "Laboratory code.") var laboratory: String
        @Option(help: "Valid for this many days (TOKEN_DAYS, 90, by default).") var days: Int?

        func run(_ cli: CLI) async throws {
            let issued = try await cli.services.laboratories.issueToken(
                laboratoryCode: laboratory, days: days, actor: cli.actor)
            print(issued.token)
        }
    }

    struct Import: CordonCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Take a laboratory's result file (CSV: accession, result, and optionally sampled_at, tested_at, n_gene_ct, orf1ab_ct). Good rows are recorded; every other row waits for review and is listed by line."
        )
        @Argument(help: "The CSV file.") var file: String
        @Option(help: "The laboratory's code.") var lab: String
        @OptionGroup var output: OutputOptions

        func run(_ cli: CLI) async throws {
            let text = try CLIFiles.text(file)
            let intake = try await cli.services.labResults.importCSV(
                text, laboratoryCode: lab, siteId: nil, actor: cli.actor)
            if output.json { return try Output.json(ResultIntakeSummary(intake)) }
            print("\(intake.recorded) recorded, \(intake.unchanged) already recorded, \(intake.held) held for review")
            for held in intake.heldResults {
                print("\(held.place): \(held.accession): \(held.reason.rawValue): \(held.detail)")
            }
        }
    }
}

/// A delivery's outcome as the CLI prints it in JSON.
struct ResultIntakeSummary: Encodable {
    var recorded: Int
    var unchanged: Int
    var held: [ResultIntake.Held]

    init(_ intake: ResultIntake) {
        (recorded, unchanged, held) = (intake.recorded, intake.unchanged, intake.heldResults)
    }
}

extension LaboratoryCommand {
    struct Review: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The results waiting for a clinician: list them, match one to a tube, or reject one.",
            subcommands: [List.self, Match.self, Reject.self])

        struct List: OneSiteCommand {
            static let configuration = CommandConfiguration(abstract: "The results waiting at a site, oldest first.")
            @Argument(help: "Site code.") var site: String
            @OptionGroup var output: OutputOptions
            var siteCode: String { site }

            func run(_ cli: CLI, site: Site) async throws {
                let (reviews, total) = try await cli.services.labResults.waiting(siteId: site.id, actor: cli.actor)
                if output.json { return try Output.json(reviews) }
                Output.table(
                    ["ID", "RECEIVED", "LAB", "ACCESSION", "RESULT", "N CT", "ORF1AB CT", "REASON", "DETAIL"],
                    reviews.map {
                        [
                            String($0.id), Output.time($0.receivedAt, zone: site.timeZone), $0.laboratory.code,
                            $0.receivedAccession, $0.result?.rawValue ?? "", $0.nGeneCt.map { String($0) } ?? "",
                            $0.orf1abCt.map { String($0) } ?? "", $0.reason.rawValue, $0.detail,
                        ]
                    })
                if total > reviews.count { print("(\(reviews.count) of \(total) shown)") }
            }
        }

        struct Match: OneSiteCommand {
            static let configuration = CommandConfiguration(
                abstract: "Record a waiting result on a tube of the site (the one it names, unless --accession).")
            @Argument(help: "Site code.") var site: String
            @Argument(help: "The waiting result's id.") var id: ResultReview.ID
            @Option(help: "The tube it belongs to, when not the one it names.") var accession: String?
            @Option(help: "Why (kept in the audit trail).") var reason: String
            var siteCode: String { site }

            func run(_ cli: CLI, site: Site) async throws {
                let review = try await cli.services.labResults.match(
                    siteId: site.id, id: id, accession: accession, reason: reason, actor: cli.actor)
                print("result \(review.id) recorded on \(review.matchedAccession?.description ?? "")")
            }
        }

        struct Reject: OneSiteCommand {
            static let configuration = CommandConfiguration(abstract: "Reject a waiting result: it is never recorded.")
            @Argument(help: "Site code.") var site: String
            @Argument(help: "The waiting result's id.") var id: ResultReview.ID
            @Option(help: "Why (kept in the audit trail).") var reason: String
            var siteCode: String { site }

            func run(_ cli: CLI, site: Site) async throws {
                let review = try await cli.services.labResults.reject(
                    siteId: site.id, id: id, reason: reason, actor: cli.actor)
                print("result \(review.id) rejected")
            }
        }
    }
}
