import Foundation
import TestSupport
import Testing

@Suite("CLI: the Party branch")
struct BranchCLITests {
    @Test("the demo branch reads back, a poster written by `branch code issue` decodes to its URL, and tasks move")
    func seededBranch() async throws {
        try await TestDatabase.withMigrated { db in
            let cli = CordonCLI(databaseURL: db.url)
            #expect(try await cli.run("seed").status == 0)
            let shown = try await cli.ok("branch", "show", "JS-01")
            #expect(shown.contains("secretary         邵振华  2022-04-03"))
            #expect(try await cli.ok("branch", "member", "list", "JS-01").contains("许春梅"))
            #expect(try await cli.ok("branch", "checkins", "JS-01").contains("何雅琴"))
            #expect(try await cli.ok("branch", "task", "list", "JS-01").contains("(overdue)"))
            let poster = FileManager.default.temporaryDirectory.appendingPathComponent(
                "poster-\(UUID().uuidString).png")
            defer { try? FileManager.default.removeItem(at: poster) }
            let issued = try await cli.ok("branch", "code", "issue", "JS-01", "--days", "7", "--out", poster.path)
            let url = issued.split(separator: "\n").last.map(String.init) ?? ""
            #expect(url.contains("/check-in?code="))
            let decoded = Process()
            decoded.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            decoded.arguments = ["zbarimg", "--quiet", "--raw", poster.path]
            let pipe = Pipe()
            decoded.standardOutput = pipe
            decoded.standardError = Pipe()
            try decoded.run()
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            decoded.waitUntilExit()
            #expect(text == url + "\n")
            let newTask = try await cli.ok(
                "branch", "task", "add", "JS-01", "--title", "夜间巡视陪护", "--start", Soon.local(10, hour: 20),
                "--end", Soon.local(10, hour: 23), "--staff", "PJ-N01", "--zone", "A")
            let id = String(newTask.split(separator: ":")[0].dropFirst("task ".count))
            #expect(
                try await cli.run("branch", "task", "done", "JS-01", id).err.contains(
                    "cannot go from open to done; allowed: in_progress, cancelled"))
            #expect(try await cli.ok("branch", "task", "start", "JS-01", id).contains("in_progress"))
            #expect(try await cli.ok("branch", "task", "done", "JS-01", id).contains("done"))
            let second = try await cli.run(
                "branch", "create", "JS-01", "--name", "另一个", "--parent", "x", "--established", "2022-05-01",
                "--secretary", "PJ-D01")
            #expect(second.status != 0)
            #expect(second.err.contains("already has an active branch"))
        }
    }
}
