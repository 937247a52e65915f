import ArgumentParser
import Services

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply pending SQL migrations, in order, each in its own transaction.")

    @Flag(name: .long, help: "List what would be applied, and apply nothing.")
    var dryRun = false

    func run() async throws {
        let dryRun = dryRun
        try await CordonEnvironment.withClient(maximumConnections: 1, asOwner: true) { client, _, logger in
            let migrator = try SchemaService(client: client, logger: logger)
            if dryRun {
                let status = try await migrator.status()
                print("\(status.applied.count) applied, \(status.pending.count) pending")
                status.pending.forEach { print("would apply \($0)") }
                return
            }
            let applied = try await migrator.migrate()
            applied.forEach { print("applied \($0)") }
            print(applied.isEmpty ? "up to date; nothing to apply" : "\(applied.count) migration(s) applied")
        }
    }
}
