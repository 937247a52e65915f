import ArgumentParser
import Domain
import Foundation
import Services

struct CommitteeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "committee", abstract: "A district's residential committees, which take the released home.",
        subcommands: [Add.self, List.self, Webhook.self])

    struct Add: CordonCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a residential committee; the district's patients who named it are matched to it.")
        @Argument(help: "District name, e.g. 金山区.") var district: String
        @Option(help: "The committee's name, as transfer lists write it.") var name: String
        @Option(help: "The street (街道) it belongs to; buses home are grouped by it.") var street: String
        @Option(help: "Who to call there.") var contactName: String?
        @Option(help: "Their phone number.") var contactPhone: String?

        func run(_ cli: CLI) async throws {
            let found = try await cli.services.districts.district(named: district, actor: cli.actor)
            let committee = try await cli.services.committees.create(
                districtId: found.id,
                ResidentialCommitteeDraft(
                    name: name, street: street, contactName: contactName, contactPhone: contactPhone),
                actor: cli.actor)
            print("committee \(committee.name) (\(committee.street)) added with id \(committee.id)")
        }
    }

    struct List: CordonCommand {
        static let configuration = CommandConfiguration(abstract: "The district's committees by street.")
        @Argument(help: "District name.") var district: String

        func run(_ cli: CLI) async throws {
            let found = try await cli.services.districts.district(named: district, actor: cli.actor)
            let committees = try await cli.services.committees.list(districtId: found.id, actor: cli.actor)
            Output.table(
                ["ID", "STREET", "COMMITTEE", "CONTACT", "PHONE", "WEBHOOK"],
                committees.map {
                    [
                        String($0.id), $0.street, $0.name, $0.contactName ?? "", $0.contactPhone ?? "",
                        $0.webhookUrl ?? "",
                    ]
                })
        }
    }

    struct Webhook: CordonCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set or remove the endpoint a committee's bus notices are posted to, signed.",
            discussion: "Setting one issues a new signing secret, printed once; the old one stops signing.")
        @Argument(help: "Committee id (`cordon committee list`).") var committee: Int64
        @Argument(help: "Endpoint URL (https).") var url: String?
        @Flag(help: "Remove the endpoint.") var remove = false

        func validate() throws {
            guard remove == (url == nil) else { throw ValidationError("give the endpoint URL, or --remove") }
        }

        func run(_ cli: CLI) async throws {
            let registered = try await cli.services.committees.setWebhook(
                ResidentialCommittee.ID(committee), url: url, actor: cli.actor)
            print("committee \(registered.committee.name): webhook \(registered.committee.webhookUrl ?? "removed")")
            if let secret = registered.webhookSecret { print("webhook secret (shown once): \(secret)") }
        }
    }
}

extension ReleaseCommand {
    struct Bus: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Buses home: plan them for everyone released without a seat, list them, record departures.",
            subcommands: [Plan.self, List.self, Depart.self])

        struct Plan: OneSiteCommand {
            static let configuration = CommandConfiguration(
                abstract:
                    "Plan buses for everyone released in the last 72 h without a seat: by street, households together, carers two seats."
            )
            @Argument(help: "Site code.") var site: String
            @Option(help: "Seats on each bus (4-80).") var seats: Int = 40
            @Option(help: "Departure time (site time, YYYY-MM-DDTHH:MM), within seven days.") var departs: String

            var siteCode: String { site }

            func run(_ cli: CLI, site: Site) async throws {
                let plan = try await cli.services.buses.plan(
                    siteId: site.id, seats: seats, departsAt: try parseTime(departs, "--departs", zone: site.timeZone),
                    actor: cli.actor)
                print(
                    "planned \(plan.buses.count) bus(es) for \(plan.buses.reduce(0) { $0 + $1.passengers.count }) people"
                )
                ReleaseCommand.busTable(plan.buses, site: site)
                if !plan.unplaced.isEmpty {
                    print(
                        "no committee recorded, not placed: "
                            + plan.unplaced.map { "\($0.patientId) \($0.name)" }.joined(separator: ", "))
                }
            }
        }

        struct List: OneSiteCommand {
            static let configuration = CommandConfiguration(abstract: "The site's buses, latest departure first.")
            @Argument(help: "Site code.") var site: String
            @OptionGroup var output: OutputOptions

            var siteCode: String { site }

            func run(_ cli: CLI, site: Site) async throws {
                let buses = try await cli.services.buses.list(siteId: site.id, actor: cli.actor)
                if output.json {
                    return try Output.json(
                        buses.map {
                            [
                                "id": String($0.id), "destination": $0.destination,
                                "passengers": String($0.passengers.count),
                                "departedAt": $0.departedAt.map(RFC3339.string) ?? "",
                            ]
                        })
                }
                ReleaseCommand.busTable(buses, site: site)
            }
        }

        struct Depart: OneSiteCommand {
            static let configuration = CommandConfiguration(abstract: "Record that a bus left.")
            @Argument(help: "Site code.") var site: String
            @Argument(help: "Bus id.") var bus: Int64

            var siteCode: String { site }

            func run(_ cli: CLI, site: Site) async throws {
                let bus = try await cli.services.buses.depart(
                    siteId: site.id, busId: ReleaseBus.ID(rawValue: bus), actor: cli.actor)
                print(
                    "bus \(bus.id) to \(bus.destination) left at \(Output.time(bus.departedAt ?? Date(), zone: site.timeZone))"
                )
            }
        }
    }

    struct Manifest: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "A bus's manifest: CSV on standard output, or a PDF to print with --out.")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "Bus id.") var bus: Int64
        @Option(help: "Write the manifest as a PDF to this file.") var out: String?

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let busId = ReleaseBus.ID(rawValue: bus)
            if let out {
                let pdf = try await cli.services.buses.manifestPDF(siteId: site.id, busId: busId, actor: cli.actor)
                try pdf.write(to: URL(fileURLWithPath: out))
                return print("wrote the manifest of bus \(bus) to \(out)")
            }
            print(
                try await cli.services.buses.manifestCSV(siteId: site.id, busId: busId, actor: cli.actor),
                terminator: "")
        }
    }

    static func busTable(_ buses: [ReleaseBus], site: Site) {
        Output.table(
            ["BUS", "TO", "DEPARTS", "PEOPLE", "SEATS", "LEFT", "COMMITTEES"],
            buses.map { bus in
                [
                    String(bus.id), bus.destination, Output.time(bus.departsAt, zone: site.timeZone),
                    String(bus.passengers.count), "\(bus.seatsTaken)/\(bus.seats)",
                    bus.departedAt.map { Output.time($0, zone: site.timeZone) } ?? "",
                    Array(Set(bus.passengers.compactMap(\.committee))).sorted().joined(separator: ", "),
                ]
            })
    }
}
