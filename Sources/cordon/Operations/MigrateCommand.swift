import ArgumentParser
import Services

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply pending SQL migrations, in order, each in its own transaction.")

    @Flag(name: .long, help: "List what would be applied, and apply nothing.")
    var dryRun = false

    func run() async throws {
        // What it applies is printed below; the pool's and the migrator's own lines stay quiet.
        try await CordonEnvironment.withServices(poolSize: 1, asOwner: true, checkSchema: false) {
            services, configuration in
            let migrator = services.schema
            if dryRun {
                let status = try await migrator.status()
                print("\(status.applied.count) applied, \(status.pending.count) pending")
                for name in status.pending { print("would apply \(name)") }
                return
            }
            let applied = try await migrator.migrate()
            for name in applied { print("applied \(name)") }
            print(applied.isEmpty ? "up to date; nothing to apply" : "\(applied.count) migration(s) applied")
            if let changed = try await services.patients.reconcileReleaseFlags() {
                print("release flags worked out for the configured rule: \(changed) changed")
            }
            switch try await migrator.grantRowAccess(to: configuration.database.appRole) {
            case .granted(let role):
                print(
                    "role \(role) may read and write rows; it may only append to the audit trail, security log and ledger"
                )
            case .noSuchRole(let role):
                print(
                    """
                    note: role \(role) does not exist on this server, so no row access was granted. Create it (see README, \
                    "Database roles") and run `cordon migrate` again, or set DATABASE_APP_ROLE.
                    """)
            case .roleOwnsSchema(let role):
                print(
                    "note: role \(role) owns the schema (or is a superuser); the application should connect as a role of its own"
                )
            }
        }
    }
}
