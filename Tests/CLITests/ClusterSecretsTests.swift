import Foundation
import Testing

/// `Deploy/cluster.sh` keeps the superuser, replication and rewind passwords, the application's
/// passwords and an admin token in its state folder: on a shared host nobody else may read them.
@Suite("Deploy: the cluster's secrets are private")
struct ClusterSecretsTests {
    static let cluster = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "../../Deploy/cluster.sh"
    ).standardized.path

    /// Who owns the state folder: Patroni's user when root runs the script.
    static var owner: String {
        getuid() == 0 ? "postgres" : (ProcessInfo.processInfo.environment["USER"] ?? "")
    }

    /// Runs `script` after sourcing cluster.sh with its state folder at `state`.
    static func run(_ script: String, state: URL) async throws -> Shell.Run {
        try await Shell.run(
            "/bin/bash", ["-c", "source '\(cluster)'; pgbin=/usr/lib/postgresql/15/bin; \(script)"],
            env: ["CORDON_CLUSTER_STATE": state.path])
    }

    static func scratch() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("cordon-cluster-test-\(UUID().uuidString)")
    }

    @Test("the state folder is 0700 and the Patroni configurations, passwords and token in it are 0600")
    func modes() async throws {
        let state = Self.scratch()
        defer { try? FileManager.default.removeItem(at: state) }
        let run = try await Self.run(
            """
            choose_state
            for n in 1 2 3; do write_patroni_config $n; done
            secret owner-password >/dev/null; secret app-password >/dev/null
            private_file "$state/token"
            stat -c '%a %U %n' "$state" "$state"/pg*.yml "$state"/*-password "$state/token"
            """, state: state)
        #expect(run.status == 0, "\(run.err)")
        let lines: [[String]] = run.out.split(separator: "\n").map {
            $0.split(separator: " ", maxSplits: 2).map(String.init)
        }
        // The folder, three Patroni configurations, five passwords and the token.
        let files: Int = 1 + 3 + 5 + 1
        #expect(lines.count == files, "\(run.out)")
        let folder: [String] = lines.first ?? []
        #expect(folder.first == "700", "\(run.out)")
        #expect(folder.dropFirst().first == Self.owner, "\(run.out)")
        for line in lines.dropFirst() {
            #expect(line[0] == "600", "\(line.joined(separator: " ")) is readable by others")
        }
        let config = try String(contentsOfFile: state.appendingPathComponent("pg1.yml").path, encoding: .utf8)
        let superuser = try String(
            contentsOfFile: state.appendingPathComponent("superuser-password").path, encoding: .utf8)
        #expect(config.contains(superuser.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    @Test(
        "a state folder somebody else made first, or a symbolic link, is refused and nothing is written in it",
        .enabled(if: getuid() == 0, "only root can make a folder that another user owns (CI runs as root)"))
    func foreignFolderRefused() async throws {
        let state = Self.scratch()
        defer { try? FileManager.default.removeItem(at: state) }
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: false)
        #expect(try await Shell.run("/bin/chown", ["nobody:", state.path]).status == 0)
        let foreign = try await Self.run("choose_state; write_patroni_config 1", state: state)
        #expect(foreign.status != 0 && foreign.err.contains("belongs to nobody"), "\(foreign.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: state.path).isEmpty)

        let link = Self.scratch()
        defer { try? FileManager.default.removeItem(at: link) }
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: state)
        let linked = try await Self.run("choose_state", state: link)
        #expect(linked.status != 0 && linked.err.contains("symbolic link"), "\(linked.err)")
    }
}
