import ArgumentParser
import Domain
import Foundation
import Services

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Create and list users; set web console passwords.",
        subcommands: [Create.self, List.self, Password.self, ResetLink.self])

    struct Create: CordonCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user; then `cordon grant` a role and `cordon token issue`.")
        @Argument(help: "Username: lower-case letters, digits, dots, dashes.") var username: String
        @Option(help: "The name people know them by.") var name: String

        func run(_ cli: CLI) async throws {
            let user = try await cli.services.access.createUser(username: username, displayName: name, actor: cli.actor)
            print("user \(user.username) created with id \(user.id)")
        }
    }

    struct List: CordonCommand {
        static let configuration = CommandConfiguration(abstract: "List users with their grants.")
        @OptionGroup var output: OutputOptions

        func run(_ cli: CLI) async throws {
            let users = try await cli.services.access.users(actor: cli.actor)
            if output.json { return try Output.json(users) }
            Output.table(
                ["ID", "USERNAME", "NAME", "GRANTS"],
                users.map { u in
                    [
                        String(u.id), u.username, u.displayName,
                        u.grants.map(describe).joined(separator: ", "),
                    ]
                })
        }
    }
}

extension UserCommand {
    struct Password: CordonCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a user's web console password, read from the terminal (not echoed) or from stdin.",
            discussion:
                "The password is never an argument, so it stays out of shell history and `ps`. Setting it ends the user's console sessions.\nprintf '%s\\n' \"$PASSWORD\" | cordon user password dr-lin"
        )
        @Argument(help: "Username.") var username: String

        func run(_ cli: CLI) async throws {
            let password = try PasswordInput.read(prompt: "New password for \(username): ")
            try await cli.services.console.setPassword(username: username, password: password, actor: cli.actor)
            print("password of \(username) set; their console sessions have ended")
        }
    }

    struct ResetLink: CordonCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-link",
            abstract: "Issue a one-time link with which a user sets their own console password (valid 24 h).",
            discussion: "The link points at CHECKIN_BASE_URL, Cordon's public address. Issuing one ends earlier links.")
        @Argument(help: "Username.") var username: String

        func run(_ cli: CLI) async throws {
            let link = try await cli.services.console.issueResetLink(username: username, actor: cli.actor)
            print("\(cli.services.settings.checkInBaseURL)/console/reset?link=\(link.secret)")
            FileHandle.standardError.write(
                Data("usable once, until \(ISO8601DateFormatter().string(from: link.expiresAt))\n".utf8))
        }
    }
}

/// Reads a password without echoing it at a terminal, or as the first line of stdin otherwise.
enum PasswordInput {
    static func read(prompt: String) throws -> String {
        if isatty(STDIN_FILENO) == 1 {
            guard let typed = getpass(prompt) else { throw ValidationError("no password was typed") }
            return String(cString: typed)
        }
        guard let line = readLine(strippingNewline: true) else {
            throw ValidationError("no password on stdin; pipe one line, or run at a terminal")
        }
        return line
    }
}

struct GrantCommand: CordonCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant",
        abstract:
            "Grant (or with --revoke, take back) a role at a site; admin needs no site, a district commander a district.",
        discussion:
            "cordon grant dr-lin clinician --site JS-01\ncordon grant ops-chen admin\ncordon grant cmd-wu district_commander --district 金山区"
    )
    @Argument(help: "Username.") var username: String
    @Argument(
        help: "admin, site_manager, clinician, pharmacist, branch_secretary, hospital_system or district_commander.")
    var role: String
    @Option(help: "Site code (every role but admin and district_commander).") var site: String?
    @Option(help: "District name, as its sites name it (district_commander).") var district: String?
    @Flag(help: "Take the grant back.") var revoke = false

    func run(_ cli: CLI) async throws {
        let role: Role = try parseChoice(role, "role")
        let actor = CordonEnvironment.cliActor
        let siteId = try await self.site.asyncMap { try await cli.services.sites.get(code: $0, actor: actor).id }
        let districtId = try await self.district.asyncMap {
            try await cli.services.districts.district(named: $0, actor: actor).id
        }
        let user = try await cli.services.access.setGrant(
            username: username, Grant(role: role, siteId: siteId, districtId: districtId), revoke: revoke,
            actor: actor)
        print(
            "\(user.username) now holds: "
                + (user.grants.isEmpty ? "nothing" : user.grants.map(describe).joined(separator: ", ")))
    }
}

/// A grant as a person reads it: `clinician at site 1`, `district_commander of district 2`, or `admin`.
func describe(_ grant: Grant) -> String {
    if let district = grant.districtId { return "\(grant.role.rawValue) of district \(district)" }
    return grant.siteId.map { "\(grant.role.rawValue) at site \($0)" } ?? grant.role.rawValue
}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Issue and revoke bearer tokens.", subcommands: [Issue.self, Revoke.self])

    struct Issue: CordonCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a bearer token; it is printed once and stored only as a hash.")
        @Option(help: "Username.") var user: String
        @Option(help: "What the token is for, e.g. the hospital system's name.") var label = ""
        @Option(help: "Days until it expires (default never).") var days: Int?
        @Flag(help: "Print only the token, for scripts.") var quiet = false

        func run(_ cli: CLI) async throws {
            let issued = try await cli.services.access.issueToken(
                username: user, label: label,
                validFor: days.map { Double($0) * 86_400 },
                actor: cli.actor)
            if quiet {
                print(issued.token)
            } else {
                print(
                    "token \(issued.id) for \(issued.username)\(issued.expiresAt.map { ", expires \(Output.time($0))" } ?? ""):"
                )
                print(issued.token)
            }
        }
    }

    struct Revoke: CordonCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by its id.")
        @Argument(help: "Token id, as printed by `token issue`.") var id: Int64

        func run(_ cli: CLI) async throws {
            try await cli.services.access.revokeToken(id: id, actor: cli.actor)
            print("token \(id) revoked")
        }
    }
}

struct AuditCommand: CordonCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Read the audit trail, oldest first.")
    @Option(help: "Only this site (code).") var site: String?
    @Option(help: "Only this entity, e.g. patient, bed, site.") var entity: String?
    @Option(help: "Only this entity id.") var entityId: String?
    @Option(help: "Only this action, e.g. admit, discharge.") var action: String?
    @Option(help: "Only this actor (username).") var actor: String?
    @Option(help: "Only the last N entries (at most 500).") var last = 50
    @OptionGroup var output: OutputOptions

    func run(_ cli: CLI) async throws {
        let siteId = try await site.asyncMap { try await cli.site($0).id }
        let query = AuditQuery(
            siteId: siteId, entity: entity, entityId: entityId, action: action, actorName: self.actor,
            page: PageRequest(limit: min(max(1, last), PageRequest.maximumLimit)), newestFirst: true)
        let entries = Array(try await cli.services.audit.list(query, actor: cli.actor).items.reversed())
        if output.json { return try Output.json(entries) }
        Output.table(
            ["ID", "AT", "ACTOR", "ROLE", "VIA", "ACTION", "ENTITY", "SITE"],
            entries.map {
                [
                    String($0.id), Output.time($0.at), $0.actorName, $0.role,
                    $0.requestId.map { "http \($0.prefix(8))" } ?? "cli \($0.cliOperator ?? "")",
                    $0.action, "\($0.entity) \($0.entityId ?? "")", $0.siteId.map(String.init) ?? "",
                ]
            })
    }
}

struct SecurityLogCommand: CordonCommand {
    static let configuration = CommandConfiguration(
        commandName: "security-log",
        abstract: "Read the security log (bad tokens, 403s, 429s, failed sign-ins), oldest first.")
    @Option(help: "Only this kind: bad_token, forbidden, rate_limited, sign_in_failed, identity_match.") var kind:
        String?
    @Option(help: "Only the last N events (at most 500).") var last = 50
    @OptionGroup var output: OutputOptions

    func run(_ cli: CLI) async throws {
        let kind: SecurityEventKind? = try kind.map { try parseChoice($0, "--kind") }
        let events = Array(
            try await cli.services.security.events(
                kind: kind, page: PageRequest(limit: min(max(1, last), PageRequest.maximumLimit)), newestFirst: true,
                actor: cli.actor
            ).items.reversed())
        if output.json { return try Output.json(events) }
        Output.table(
            ["ID", "AT", "KIND", "STATUS", "REQUEST", "ADDRESS", "USER", "REQUEST ID", "DETAIL"],
            events.map {
                [
                    String($0.id), Output.time($0.at), $0.kind.rawValue, String($0.status), "\($0.method) \($0.path)",
                    $0.address ?? "",
                    $0.username ?? "", $0.requestId ?? "", String($0.detail.prefix(60)),
                ]
            })
    }
}
