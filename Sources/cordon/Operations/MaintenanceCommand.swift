import ArgumentParser
import Services

/// `cordon maintenance run`: one housekeeping pass, for cron on hosts that run no `cordon serve`
/// (the servers do the same every ten minutes).
struct MaintenanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maintenance", abstract: "Housekeeping: prune what is kept only for a while.",
        subcommands: [MaintenanceRunCommand.self])
}

struct MaintenanceRunCommand: CordonCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract:
            "Remove expired idempotency keys, old rate-limit windows, ended console sessions, reset links and tokens, and webhook events delivered longer ago than WEBHOOK_RETENTION_DAYS; fold the census's change rows into its counts. Never the audit trail, the ledger or the security log."
    )
    @OptionGroup var output: OutputOptions

    func run(_ cli: CLI) async throws {
        guard let removed = try await cli.services.housekeeping().runOnce() else {
            throw ValidationError("another instance is housekeeping right now; nothing was done")
        }
        let rows = removed.byKind.map { ("\($0.kind)_removed", $0.count) }.sorted { $0.0 < $1.0 }
        if output.json { return try Output.json(Dictionary(uniqueKeysWithValues: rows)) }
        Output.table(["REMOVED", "COUNT"], rows.map { [$0.0, String($0.1)] })
    }
}
