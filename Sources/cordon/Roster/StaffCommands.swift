import ArgumentParser
import Domain
import Foundation
import Services

struct TeamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "team", abstract: "Medical teams that arrive at a site as batches.",
        subcommands: [Add.self, List.self])

    struct Add: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "Register a team.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "Team name, e.g. 第一批医疗队.") var name: String
        @Option(help: "Dispatching hospital.") var hospital: String
        @Option(help: "Arrival date, YYYY-MM-DD.") var arrives: String
        @Option(help: "Planned departure date, YYYY-MM-DD.") var departs: String?
        @Option(help: "Work number of the team leader.") var leader: String?

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let draft = TeamDraft(
                name: name, dispatchingHospital: hospital, arrivesOn: try parseDate(arrives, "--arrives"),
                departsOn: try departs.map { try parseDate($0, "--departs") })
            var withLeader = draft
            if let leader {
                withLeader.leaderStaffId = try await cli.services.staff.member(
                    siteId: site.id, code: leader, actor: cli.actor
                ).id
            }
            let team = try await cli.services.staff.createTeam(siteId: site.id, withLeader, actor: cli.actor)
            print("team \(team.id) \(team.name) arrives \(team.arrivesOn)")
        }
    }

    struct List: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "List a site's teams.")
        @Argument(help: "Site code.") var site: String
        @OptionGroup var output: OutputOptions

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let teams = try await cli.services.staff.teams(siteId: site.id, actor: cli.actor)
            if output.json { return try Output.json(teams) }
            Output.table(
                ["TEAM", "NAME", "HOSPITAL", "ARRIVES", "DEPARTS", "MEMBERS"],
                teams.map {
                    [
                        String($0.id), $0.name, $0.dispatchingHospital, $0.arrivesOn.description,
                        $0.departsOn?.description ?? "", String($0.memberCount),
                    ]
                })
        }
    }
}

/// Resolves a team name given on the command line.
func teamId(named name: String?, siteId: Site.ID, _ services: CordonServices, _ actor: Actor) async throws -> Team.ID? {
    guard let name else { return nil }
    guard
        let team = try await services.staff.teams(siteId: siteId, actor: actor).first(where: {
            $0.name == name || String($0.id) == name
        })
    else {
        throw DomainError.notFound("no team \(name) at this site")
    }
    return team.id
}

struct StaffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff", abstract: "The site's staff.",
        subcommands: [Add.self, List.self, SetStatus.self, Link.self])

    struct Add: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "Add a member of staff.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "Work number, unique at the site.") var code: String
        @Option var name: String
        @Option(help: "Employing hospital.") var hospital: String
        @Option var department: String = ""
        @Option(help: "doctor, nurse, technician, pharmacist, logistics, police_liaison, volunteer or administrator.")
        var profession: String
        @Option(help: "e.g. head nurse, section chief.") var title: String = ""
        @Option var phone: String?
        @Flag(help: "A Party member.") var partyMember = false
        @Option(help: "Team name or id.") var team: String?

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let profession: Profession = try parseChoice(profession, "--profession")
            let draft = StaffDraft(
                code: code, name: name, hospital: hospital, department: department, profession: profession,
                title: title,
                phone: phone, partyMember: partyMember)
            var withTeam = draft
            withTeam.teamId = try await teamId(named: team, siteId: site.id, cli.services, cli.actor)
            let member = try await cli.services.staff.createStaff(siteId: site.id, withTeam, actor: cli.actor)
            print("staff \(member.id) \(member.code) \(member.name)")
        }
    }

    struct List: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "List a site's staff.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "Team name or id.") var team: String?
        @Option(help: "active, off_duty or departed.") var status: String?
        @Option var profession: String?
        @OptionGroup var output: OutputOptions

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let status: StaffStatus? = try status.map { try parseChoice($0, "--status") }
            let profession: Profession? = try profession.map { try parseChoice($0, "--profession") }
            let teamId = try await teamId(named: team, siteId: site.id, cli.services, cli.actor)
            let staff = try await cli.services.staff.staff(
                siteId: site.id, teamId: teamId, status: status, profession: profession, actor: cli.actor)
            if output.json { return try Output.json(staff) }
            let teams = Dictionary(
                uniqueKeysWithValues: try await cli.services.staff.teams(siteId: site.id, actor: cli.actor).map {
                    ($0.id, $0.name)
                })
            Output.table(
                ["CODE", "NAME", "PROFESSION", "TITLE", "HOSPITAL", "TEAM", "PARTY", "STATUS"],
                staff.map {
                    [
                        $0.code, $0.name, $0.profession.rawValue, $0.title, $0.hospital,
                        $0.teamId.flatMap { teams[$0] } ?? "",
                        $0.partyMember ? "yes" : "", $0.status.rawValue,
                    ]
                })
        }
    }

    struct SetStatus: OneSiteCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-status", abstract: "Mark a member of staff active, off duty or departed.")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "Work number.") var code: String
        @Argument(help: "active, off_duty or departed.") var status: String

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let status: StaffStatus = try parseChoice(status, "status")
            let member = try await cli.services.staff.member(siteId: site.id, code: code, actor: cli.actor)
            var draft = StaffDraft(member)
            draft.status = status
            let after = try await cli.services.staff.updateStaff(
                siteId: site.id, staffId: member.id, draft, expectedVersion: member.version, actor: cli.actor)
            print("\(after.code) \(after.name) is now \(after.status.rawValue)")
        }
    }

    struct Link: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "Link a member of staff to the user they sign in as, so the console shows them their own roster.")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "Work number.") var code: String
        @Argument(help: "User name; leave out with --unlink.") var user: String?
        @Flag(help: "Remove the link instead.") var unlink = false

        var siteCode: String { site }

        func validate() throws {
            if unlink == (user != nil) { throw ValidationError("give a user name, or --unlink without one") }
        }

        func run(_ cli: CLI, site: Site) async throws {
            let member = try await cli.services.staff.member(siteId: site.id, code: code, actor: cli.actor)
            try await cli.services.staff.linkAccount(
                siteId: site.id, staffId: member.id, username: user, actor: cli.actor)
            print(user.map { "\(code) signs in as \($0)" } ?? "\(code) is no longer linked to a user")
        }
    }
}

struct TrainingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "training", abstract: "Training and certification records (PPE donning and doffing first).",
        subcommands: [Add.self, List.self])

    struct Add: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "Record a training or certification.")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "Work number.") var code: String
        @Option(
            help:
                "ppe_donning_doffing (default), infection_control, nucleic_acid_sampling, resuscitation or psychological_support."
        )
        var kind: String = TrainingKind.ppeDonningDoffing.rawValue
        @Option(help: "Date gained, YYYY-MM-DD.") var gained: String
        @Option(help: "Expiry date, YYYY-MM-DD.") var expires: String?
        @Option(help: "Who trained or certified them.") var by: String

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let draft = TrainingDraft(
                kind: try parseChoice(kind, "--kind"), gainedOn: try parseDate(gained, "--gained"),
                expiresOn: try expires.map { try parseDate($0, "--expires") }, certifiedBy: by)
            let member = try await cli.services.staff.member(siteId: site.id, code: code, actor: cli.actor)
            let record = try await cli.services.staff.addTraining(
                siteId: site.id, staffId: member.id, draft, actor: cli.actor)
            print(
                "training \(record.id): \(member.name) \(record.kind.rawValue) until \(record.expiresOn?.description ?? "no expiry")"
            )
        }
    }

    struct List: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "List training records.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "Only this person (work number).") var staff: String?
        @Option var kind: String?
        @Option(help: "Only records expiring on or before this date.") var expiringBy: String?
        @OptionGroup var output: OutputOptions

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let kind: TrainingKind? = try kind.map { try parseChoice($0, "--kind") }
            let expiringBy = try expiringBy.map { try parseDate($0, "--expiring-by") }
            let people = Dictionary(
                uniqueKeysWithValues: try await cli.services.staff.staff(siteId: site.id, actor: cli.actor).map {
                    ($0.id, $0)
                })
            let staffId = try staff.map { code in
                guard let id = people.values.first(where: { $0.code == code })?.id else {
                    throw DomainError.notFound("no member of staff \(code)")
                }
                return id
            }
            let records = try await cli.services.staff.trainings(
                siteId: site.id, staffId: staffId, kind: kind, expiringBy: expiringBy, actor: cli.actor)
            if output.json { return try Output.json(records) }
            Output.table(
                ["ID", "STAFF", "NAME", "KIND", "GAINED", "EXPIRES", "CERTIFIED BY"],
                records.map {
                    [
                        String($0.id), people[$0.staffId]?.code ?? "", people[$0.staffId]?.name ?? "", $0.kind.rawValue,
                        $0.gainedOn.description,
                        $0.expiresOn?.description ?? "", $0.certifiedBy,
                    ]
                })
        }
    }
}
