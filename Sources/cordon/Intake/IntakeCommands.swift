import ArgumentParser
import Domain
import Foundation
import Services

struct IntakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intake",
        abstract: "Receive a bus: import the command's transfer list, propose beds, admit, cancel who did not come.",
        subcommands: [Import.self, List.self, Propose.self, Bed.self, Admit.self, Cancel.self])

    /// A batch named by its reference or its id.
    static func batch(_ name: String, _ cli: CLI, site: Site) async throws -> IntakeBatch {
        let batches = try await cli.services.intake.batches(siteId: site.id, open: false, actor: cli.actor)
        guard let batch = batches.first(where: { $0.reference == name || String($0.id) == name }) else {
            throw DomainError.notFound("no transfer list \(name) at this site")
        }
        return batch
    }

    /// The people of a batch as a table: position, name, sex, age, needs, status, bed and why.
    static func printPeople(_ people: [IntakePerson], today: CalendarDate) {
        Output.table(
            ["ID", "LINE", "NAME", "SEX", "AGE", "HOUSEHOLD", "NEEDS", "STATUS", "BED", "WHY"],
            people.map { i in
                [
                    String(i.id), String(i.position), i.person.name, i.person.sex.rawValue,
                    String(i.person.dateOfBirth.age(on: today)), i.person.household ?? "",
                    i.person.vulnerabilities.map(\.rawValue).sorted().joined(separator: " "), i.status.rawValue,
                    i.bedCode ?? "", i.reasons.map(\.english).joined(separator: "; "),
                ]
            })
    }

    struct Import: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Accept a transfer list (CSV, or JSON as the API takes it) as a batch of expected people. Every bad row is named by line, and nothing is kept.",
            discussion:
                "CSV columns: \((TransferListRow.required + TransferListRow.optional).joined(separator: ",")); "
                + "the first four are required. sex is female/male or 女/男; vulnerabilities are "
                + "\(Vulnerability.allCases.map(\.rawValue).joined(separator: ", ")), separated by ;.\n"
                + "cordon intake import JS-01 bus-0412.csv --reference 金山-0412-03 --expected '2022-04-12 22:30'")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "The list: a .csv file, or a .json file.") var file: String
        @Option(help: "The command's number for the list (taken from a JSON file when not given).") var reference:
            String?
        @Option(help: "When the bus is expected, site time (default: the list's earliest expected_at).") var expected:
            String?

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
                throw ValidationError("cannot read \(file)")
            }
            let expectedAt = try expected.map { try parseTime($0, "--expected", zone: site.timeZone) }
            let batch: IntakeBatch
            if file.lowercased().hasSuffix(".json") {
                let decoder = JSONDecoder()
                decoder.dateDecodingStrategy = .rfc3339
                var list: TransferList
                do { list = try decoder.decode(TransferList.self, from: data) } catch {
                    throw ValidationError("\(file) is not a transfer list as JSON: \(error)")
                }
                list.reference = reference ?? list.reference
                list.expectedAt = expectedAt ?? list.expectedAt
                batch = try await cli.services.intake.importList(siteId: site.id, list, actor: cli.actor)
            } else {
                guard let reference else { throw ValidationError("--reference is needed for a CSV list") }
                batch = try await cli.services.intake.importCSV(
                    siteId: site.id, String(decoding: data, as: UTF8.self), reference: reference,
                    expectedAt: expectedAt, actor: cli.actor)
            }
            print("list \(batch.reference) accepted as batch \(batch.id): \(batch.expected) people expected")
        }
    }

    struct List: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "The site's transfer lists; or, given one, its people with their beds and why.")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "A list's reference or id.") var batch: String?
        @Flag(help: "Also lists with nobody still expected.") var all = false

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            if let name = batch {
                let found = try await IntakeCommand.batch(name, cli, site: site)
                let (_, people) = try await cli.services.intake.batch(
                    siteId: site.id, batchId: found.id, actor: cli.actor)
                return IntakeCommand.printPeople(people, today: site.today)
            }
            let batches = try await cli.services.intake.batches(siteId: site.id, open: !all, actor: cli.actor)
            Output.table(
                ["ID", "REFERENCE", "EXPECTED AT", "EXPECTED", "WITH A BED", "ADMITTED", "CANCELLED"],
                batches.map {
                    [
                        String($0.id), $0.reference, Output.time($0.expectedAt, zone: site.timeZone),
                        String($0.expected), String($0.proposed), String($0.admitted), String($0.cancelled),
                    ]
                })
        }
    }

    struct Propose: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "Propose a bed for everyone still expected on a list, and say why, or why not.")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "The list's reference or id.") var batch: String

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let found = try await IntakeCommand.batch(batch, cli, site: site)
            let people = try await cli.services.intake.propose(siteId: site.id, batchId: found.id, actor: cli.actor)
            IntakeCommand.printPeople(people, today: site.today)
            let placed = people.filter { $0.status == .expected && $0.bedId != nil }.count
            print("\n\(placed) of \(people.filter { $0.status == .expected }.count) expected have a bed")
        }
    }

    struct Bed: OneSiteCommand {
        static let configuration = CommandConfiguration(
            commandName: "bed", abstract: "Put an expected person in another bed than proposed.")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "The person's id (see intake list).") var person: Int64
        @Argument(help: "Bed code.") var bed: String

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let bed = try await cli.services.beds.get(siteId: site.id, code: self.bed, actor: cli.actor)
            let id = IntakePerson.ID(rawValue: person)
            let current = try await cli.services.intake.person(siteId: site.id, personId: id, actor: cli.actor)
            let changed = try await cli.services.intake.chooseBed(
                siteId: site.id, personId: id, bedId: bed.id, expectedVersion: current.version, actor: cli.actor)
            print("\(changed.person.name): bed \(changed.bedCode ?? "")")
        }
    }

    struct Admit: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Admit everyone on a list who has a bed (or only --person), one at a time; safe to run again.")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "The list's reference or id.") var batch: String
        @Option(help: "Only this person's id; repeat for more.") var person: [Int64] = []
        @Option(help: "When the bus arrived, site time (default now).") var at: String?

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let found = try await IntakeCommand.batch(batch, cli, site: site)
            let result = try await cli.services.intake.admit(
                siteId: site.id, batchId: found.id,
                only: person.isEmpty ? nil : Set(person.map(IntakePerson.ID.init(rawValue:))),
                arrivedAt: try at.map { try parseTime($0, "--at", zone: site.timeZone) }, actor: cli.actor)
            let fresh = result.admitted.filter { !$0.replayed }.count
            print("\(fresh) admitted now, \(result.admitted.count - fresh) already admitted")
            for skipped in result.skipped { print("person \(skipped.personId) not admitted: \(skipped.reason)") }
            if !result.reproposed.isEmpty {
                print("\nA bed was taken meanwhile; new proposals (admit again to confirm):")
                IntakeCommand.printPeople(result.reproposed, today: site.today)
            }
        }
    }

    struct Cancel: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel an expected person who did not come.")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "The person's id (see intake list).") var person: Int64

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let cancelled = try await cli.services.intake.cancel(
                siteId: site.id, personId: IntakePerson.ID(rawValue: person), actor: cli.actor)
            print("\(cancelled.person.name) is cancelled")
        }
    }
}
