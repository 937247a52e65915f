import ArgumentParser
import Domain
import Foundation
import Services

struct BranchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "branch",
        abstract: "The site's temporary Party branch: officers, members, check-in codes, check-ins and tasks.",
        subcommands: [
            Create.self, Show.self, Dissolve.self, Appoint.self, MemberCommand.self, CodeCommand.self, CheckIns.self,
            TaskCommand.self, Dashboard.self,
        ])

    struct Create: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "Form the site's temporary branch with its secretary.")
        @Argument(help: "Site code.") var site: String
        @Option var name: String
        @Option(help: "The dispatching hospital's Party committee.") var parent: String
        @Option(help: "Date formed, YYYY-MM-DD.") var established: String
        @Option(help: "Work number of the secretary.") var secretary: String

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let draft = BranchDraft(
                name: name, parentOrganisation: parent, establishedOn: try parseDate(established, "--established"))
            let staffId = try await cli.services.staff.member(siteId: site.id, code: secretary, actor: cli.actor).id
            let branch = try await cli.services.branch.create(
                siteId: site.id, draft, secretaryStaffId: staffId, actor: cli.actor)
            print("branch \(branch.id) \(branch.name) formed on \(branch.establishedOn)")
        }
    }

    struct Show: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "The active branch and its officers.")
        @Argument(help: "Site code.") var site: String
        @OptionGroup var output: OutputOptions

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let branch = try await cli.services.branch.activeBranch(siteId: site.id, actor: cli.actor)
            if output.json { return try Output.json(branch) }
            print(
                "\(branch.name) (\(branch.status.rawValue)), under \(branch.parentOrganisation), formed \(branch.establishedOn), version \(branch.version)\n"
            )
            Output.table(
                ["OFFICE", "NAME", "FROM", "UNTIL"],
                branch.officers.map {
                    [$0.office.rawValue, $0.staffName, $0.fromOn.description, $0.untilOn?.description ?? ""]
                })
        }
    }

    struct Dissolve: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "Dissolve the active branch.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "Date dissolved, YYYY-MM-DD.") var on: String

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let day = try parseDate(on, "--on")
            let branch = try await cli.services.branch.activeBranch(siteId: site.id, actor: cli.actor)
            let after = try await cli.services.branch.dissolve(
                siteId: site.id, on: day, expectedVersion: branch.version, actor: cli.actor)
            print("branch \(after.id) dissolved on \(after.dissolvedOn?.description ?? "")")
        }
    }

    struct Appoint: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "Appoint an officer.")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "Work number.") var staff: String
        @Option(help: "secretary, deputy_secretary or committee_member.") var office: String
        @Option(help: "From, YYYY-MM-DD.") var from: String

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let office: Office = try parseChoice(office, "--office")
            let from = try parseDate(from, "--from")
            let staffId = try await cli.services.staff.member(siteId: site.id, code: staff, actor: cli.actor).id
            _ = try await cli.services.branch.appoint(
                siteId: site.id, staffId: staffId, office: office, from: from, actor: cli.actor)
            print("\(staff) appointed \(office.rawValue) from \(from)")
        }
    }

    struct MemberCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "member", abstract: "Staff members of the branch.", subcommands: [Add.self, List.self])

        struct Add: OneSiteCommand {
            static let configuration = CommandConfiguration(abstract: "Add a member of staff who is a Party member.")
            @Argument(help: "Site code.") var site: String
            @Argument(help: "Work number.") var staff: String
            @Option(help: "Date joined the branch, YYYY-MM-DD.") var joined: String
            @Option(help: "Role in the branch.") var role: String = "member"
            @Flag(help: "Joined the Party on the front line.") var frontLine = false

            var siteCode: String { site }

            func run(_ cli: CLI, site: Site) async throws {
                let joined = try parseDate(joined, "--joined")
                let staffId = try await cli.services.staff.member(siteId: site.id, code: staff, actor: cli.actor).id
                let member = try await cli.services.branch.addMember(
                    siteId: site.id,
                    BranchMemberDraft(
                        staffId: staffId, joinedOn: joined, role: role, joinedFrontLine: frontLine), actor: cli.actor)
                print("member \(member.id): \(member.staffName)")
            }
        }

        struct List: OneSiteCommand {
            static let configuration = CommandConfiguration(abstract: "List the branch's staff members.")
            @Argument(help: "Site code.") var site: String
            @OptionGroup var output: OutputOptions

            var siteCode: String { site }

            func run(_ cli: CLI, site: Site) async throws {
                let members = try await cli.services.branch.members(siteId: site.id, actor: cli.actor)
                if output.json { return try Output.json(members) }
                Output.table(
                    ["STAFF", "NAME", "PROFESSION", "JOINED", "ROLE", "FRONT LINE"],
                    members.map {
                        [
                            $0.staffCode, $0.staffName, $0.profession.rawValue, $0.joinedOn.description, $0.role,
                            $0.joinedFrontLine ? "yes" : "",
                        ]
                    })
            }
        }
    }

    struct CodeCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "code", abstract: "Check-in codes.", subcommands: [Issue.self])

        struct Issue: OneSiteCommand {
            static let configuration = CommandConfiguration(
                abstract:
                    "Issue a signed, expiring check-in code and write its poster (SVG, or PNG when the file ends in .png)."
            )
            @Argument(help: "Site code.") var site: String
            @Option(help: "Days the code stays valid (default CHECKIN_CODE_DAYS, 14).") var days: Int?
            @Option(help: "The poster file to write, e.g. poster.svg or poster.png.") var out: String

            var siteCode: String { site }

            func run(_ cli: CLI, site: Site) async throws {
                let format: BranchService.PosterFormat = out.lowercased().hasSuffix(".png") ? .png : .svg
                let code = try await cli.services.branch.issueCode(
                    siteId: site.id, validForDays: days, actor: cli.actor)
                let poster = try cli.services.branch.poster(for: code, format: format)
                do { try poster.write(to: URL(fileURLWithPath: out)) } catch {
                    throw ValidationError("cannot write \(out): \(error)")
                }
                print(
                    "code \(code.codeId) valid until \(Output.time(code.expiresAt, zone: site.timeZone)); poster written to \(out)"
                )
                print(code.url)
            }
        }
    }

    struct CheckIns: OneSiteCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkins", abstract: "Patient members who checked in.")
        @Argument(help: "Site code.") var site: String
        @OptionGroup var output: OutputOptions

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let checkIns = try await cli.services.branch.checkIns(siteId: site.id, actor: cli.actor)
            if output.json { return try Output.json(checkIns) }
            Output.table(
                ["ID", "PATIENT", "BED", "HOME ORGANISATION", "PHONE", "CHECKED IN"],
                checkIns.map {
                    [
                        String($0.id), $0.patientName, $0.bedCode ?? "(discharged)", $0.homeOrganisation, $0.phone,
                        Output.time($0.checkedInAt, zone: site.timeZone),
                    ]
                })
        }
    }

    struct Dashboard: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "Members by kind, patient members per zone, tasks, check-ins per day.")
        @Argument(help: "Site code.") var site: String

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            try Output.json(try await cli.services.branch.dashboard(siteId: site.id, actor: cli.actor))
        }
    }
}
