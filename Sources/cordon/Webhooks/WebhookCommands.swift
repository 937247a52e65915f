import ArgumentParser
import Domain
import Foundation
import Services

struct WebhookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook",
        abstract: "The webhook outbox: what waits, what went out, what was dead-lettered; send again.",
        subcommands: [List.self, Retry.self])

    struct List: CordonCommand {
        static let configuration = CommandConfiguration(abstract: "List outbox events in the order they were written.")
        @Option(help: "pending, delivered or dead.") var status: String?
        @Option(help: "Hospital code.") var hospital: String?
        @Option(help: "Show at most this many, the latest.") var last: Int = 50
        @OptionGroup var output: OutputOptions

        func run(_ cli: CLI) async throws {
            let status: WebhookDeliveryStatus? = try status.map { try parseChoice($0, "--status") }
            guard last > 0 else { throw ValidationError("--last must be a positive number") }
            let actor = CordonEnvironment.cliActor
            let hospitalId = try await hospital.asyncMap {
                try await cli.services.hospitals.hospital(code: $0, actor: actor).id
            }
            let events = try await allPages {
                try await cli.services.webhooks.events(status: status, hospitalId: hospitalId, page: $0, actor: actor)
            }
            .suffix(last)
            if output.json { return try Output.json(Array(events)) }
            Output.table(
                [
                    "EVENT", "RECEIVER", "ABOUT", "TYPE", "STATUS", "ATTEMPTS", "WRITTEN", "NEXT / DELIVERED",
                    "LAST ERROR",
                ],
                events.map {
                    [
                        $0.id.uuidString.lowercased(), $0.receiverName, $0.subject,
                        $0.type.rawValue, $0.status.rawValue,
                        String($0.attempts), Output.time($0.createdAt), Output.time($0.nextAttemptAt ?? $0.deliveredAt),
                        String(($0.lastError ?? "").prefix(60)),
                    ]
                })
        }
    }

    struct Retry: CordonCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send dead-lettered events again under their ids, each with a fresh round of attempts.",
            discussion: "Name events by id, or pass --dead to retry every dead one (of --hospital, if given).")
        @Argument(help: "Event ids.") var events: [String] = []
        @Flag(help: "Every dead-lettered event.") var dead = false
        @Option(help: "With --dead: only this hospital's (code).") var hospital: String?

        func validate() throws {
            guard dead != !events.isEmpty else { throw ValidationError("name event ids or pass --dead, not both") }
            if hospital != nil && !dead { throw ValidationError("--hospital goes with --dead") }
        }

        func run(_ cli: CLI) async throws {
            let ids = try events.map { text in
                guard let id = UUID(uuidString: text) else {
                    throw ValidationError("'\(text)' is not an event id (a UUID; see `cordon webhook list`)")
                }
                return id
            }
            let actor = CordonEnvironment.cliActor
            var targets = ids
            if dead {
                let hospitalId = try await hospital.asyncMap {
                    try await cli.services.hospitals.hospital(code: $0, actor: actor).id
                }
                targets = try await allPages {
                    try await cli.services.webhooks.events(
                        status: .dead, hospitalId: hospitalId, page: $0, actor: actor)
                }.map(\.id)
            }
            for id in targets {
                let event = try await cli.services.webhooks.retry(id: id, actor: actor)
                print("\(event.id.uuidString.lowercased()) \(event.receiverName) \(event.type.rawValue): pending again")
            }
            if targets.isEmpty { print("no dead-lettered events") }
        }
    }
}

extension WebhookEvent {
    /// Who receives it: the hospital's code, or the committee's name.
    fileprivate var receiverName: String { hospitalCode ?? committeeName ?? "" }

    /// What it is about: `site/referral`, or `site/notice N`.
    fileprivate var subject: String {
        if let referralId { return "\(siteId)/\(referralId)" }
        return "\(siteId)/notice \(committeeNoticeId.map { String($0.rawValue) } ?? "")"
    }
}
