import ArgumentParser
import Domain
import Foundation
import Services

struct DistrictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "district",
        abstract: "The district command's view: its sites' bed board, and where the next bus should go.",
        subcommands: [List.self, Board.self, NextBus.self])

    struct List: CordonCommand {
        static let configuration = CommandConfiguration(abstract: "Districts, as their sites name them.")

        func run(_ cli: CLI) async throws {
            let districts = try await cli.services.districts.districts(actor: cli.actor)
            Output.table(["ID", "NAME"], districts.map { [String($0.id), $0.name] })
        }
    }

    struct Board: CordonCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Per site: beds free by sex and mark, expected arrivals, admissions and discharges today, release-eligible, overdue referrals, stock alerts, roster gaps."
        )
        @Argument(help: "District name, e.g. 金山区.") var district: String
        @OptionGroup var output: OutputOptions

        func run(_ cli: CLI) async throws {
            let found = try await cli.services.districts.district(named: district, actor: cli.actor)
            let board = try await cli.services.districts.board(districtId: found.id, actor: cli.actor)
            if output.json { return try Output.json(board) }
            print("\(board.district.name): \(board.sites.count) site(s)\n")
            Output.table(
                [
                    "SITE", "STATUS", "FREE", "WOMEN", "MEN", "EITHER", "NEAR STN", "ACCESS", "O2", "HELD", "EXPECTED",
                    "IN TODAY", "OUT TODAY", "IN CARE", "RELEASABLE", "OVERDUE REF", "STOCK", "ROSTER GAPS",
                    "RELEASED", "BUSES WAITING", "BUSES LEFT", "COMMITTEES UNANSWERED", "OVERDUE",
                ],
                board.sites.map { s in
                    let b = s.beds
                    return [
                        s.code, s.status.rawValue, String(b.free), String(b.freeForWomen), String(b.freeForMen),
                        String(b.freeForEither), String(b.freeNearStation), String(b.freeAccessible),
                        String(b.freeOxygen), String(b.heldForArrivals), String(s.expectedArrivals),
                        String(s.admittedToday), String(s.dischargedToday), String(s.inCare),
                        String(s.eligibleForRelease), String(s.overdueReferrals), String(s.stockAlerts),
                        String(s.rosterGaps), String(s.release.releasedToday), String(s.release.busesWaiting),
                        String(s.release.busesLeftToday), String(s.release.committeesUnanswered),
                        String(s.release.committeesOverdue),
                    ]
                })
        }
    }

    struct NextBus: CordonCommand {
        static let configuration = CommandConfiguration(
            commandName: "next-bus",
            abstract:
                "Rank the district's open sites by how well each could place a bus now, with why, and plan the bus over them.",
            discussion:
                "cordon district next-bus 金山区 --women 22 --men 18 --near-station 5\ncordon district next-bus 金山区 --list bus.json"
        )
        @Argument(help: "District name.") var district: String
        @Option(help: "Women on the bus.") var women: Int?
        @Option(help: "Men on the bus.") var men: Int?
        @Option(help: "Of them, how many need a bed near the nurses' station.") var nearStation = 0
        @Option(help: "Of them, how many need an accessible bed.") var accessible = 0
        @Option(help: "The transfer list as JSON (as the API takes it) instead of counts.") var list: String?
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if (list == nil) == (women == nil && men == nil) {
                throw ValidationError("give the bus as --women and --men, or as --list, one of the two")
            }
        }

        func run(_ cli: CLI) async throws {
            let found = try await cli.services.districts.district(named: district, actor: cli.actor)
            let advice: NextBusAdvice
            if let list {
                let decoder = JSONDecoder()
                decoder.dateDecodingStrategy = .rfc3339
                let parsed: TransferList
                do {
                    parsed = try decoder.decode(TransferList.self, from: Data(contentsOf: URL(fileURLWithPath: list)))
                } catch {
                    throw ValidationError("\(list) is not a transfer list as JSON: \(error)")
                }
                advice = try await cli.services.districts.nextBus(
                    districtId: found.id, persons: parsed.persons, actor: cli.actor)
            } else {
                advice = try await cli.services.districts.nextBus(
                    districtId: found.id,
                    demand: BusDemand(
                        women: women ?? 0, men: men ?? 0, nearStation: nearStation, accessible: accessible),
                    actor: cli.actor)
            }
            if output.json { return try Output.json(advice) }
            Output.table(
                ["RANK", "SITE", "PLACED", "LEFT OUT", "PLACES OPENED", "FREE BEDS", "WHY LEFT OUT"],
                advice.ranking.enumerated().map { i, r in
                    [
                        String(i + 1), r.code, String(r.placed), String(r.unplaced), String(r.placesOpened),
                        String(r.freeBeds), r.reasons.joined(separator: "; "),
                    ]
                })
            print(
                "\nPlan: " + advice.plan.map { "\($0.people) to \($0.code)" }.joined(separator: ", ")
                    + (advice.leftOver > 0 ? "; \(advice.leftOver) no site can place now" : ""))
        }
    }
}
