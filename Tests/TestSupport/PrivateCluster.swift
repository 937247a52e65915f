import Foundation

/// A PostgreSQL server of one test's own, which the test may stop, kill and start again: the
/// shared test server serves every suite at once and must never go away. Loopback only, trust
/// authentication, fsync off; removed when the test ends. As root, it runs as the `postgres` OS
/// user, as PostgreSQL insists.
public final class PrivateCluster: @unchecked Sendable {
    public let port: Int
    let directory: URL
    let binaries: URL

    public init() throws {
        guard let bin = try FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql").sorted().last else {
            throw ClusterError("no PostgreSQL under /usr/lib/postgresql")
        }
        binaries = URL(fileURLWithPath: "/usr/lib/postgresql/\(bin)/bin")
        directory = URL(fileURLWithPath: "/tmp/cordon-cluster-\(UUID().uuidString.prefix(8).lowercased())")
        port = Self.freePort()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Self.ownedByPostgres(directory)
        try run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8")
        try """
        listen_addresses = '127.0.0.1'
        port = \(port)
        unix_socket_directories = '\(directory.path)'
        fsync = off
        synchronous_commit = off
        full_page_writes = off
        """.appending("\n").appendToFile(data + "/postgresql.conf")
        try start()
    }

    var data: String { directory.appendingPathComponent("data").path }

    /// `database` as the superuser.
    public func url(_ database: String = "postgres") -> String {
        "postgres://postgres@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    /// The running server, a child of this process. (`pg_ctl start` would leave a daemon that
    /// keeps Foundation's `Process` from ever seeing pg_ctl exit.)
    private var server: Process?

    public func start() throws {
        let process = Process()
        let postgres = binaries.appendingPathComponent("postgres").path
        let asPostgres = getuid() == 0
        process.executableURL = URL(fileURLWithPath: asPostgres ? "/usr/sbin/runuser" : postgres)
        process.arguments = (asPostgres ? ["-u", "postgres", "--", postgres] : []) + ["-D", data]
        let log = directory.appendingPathComponent("server.log")
        if !FileManager.default.fileExists(atPath: log.path) {
            FileManager.default.createFile(atPath: log.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: log)
        try handle.seekToEnd()
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        server = process
        let deadline = Date().addingTimeInterval(60)
        while (try? run("pg_isready", "-h", "127.0.0.1", "-p", String(port), "-q")) == nil {
            guard Date() < deadline, process.isRunning else {
                throw ClusterError("the server did not start: see \(log.path)")
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    /// Stops the server: `fast` ends sessions cleanly, `immediate` as a crash does.
    public func stop(_ mode: String = "fast") throws {
        try run("pg_ctl", "-D", data, "-m", mode, "-w", "-t", "60", "stop")
        server?.waitUntilExit()
        server = nil
    }

    public func restart(_ mode: String = "fast") throws {
        try stop(mode)
        try start()
    }

    /// Runs `sql` with psql as the superuser on `database`.
    public func psql(_ sql: String, database: String = "postgres") throws {
        try run(
            "psql", "-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1",
            "-qc", sql)
    }

    deinit {
        try? stop("immediate")
        try? FileManager.default.removeItem(at: directory)
    }

    private func run(_ tool: String, _ arguments: String...) throws {
        let process = Process()
        let asPostgres = getuid() == 0
        let path = tool == "psql" ? "/usr/bin/psql" : binaries.appendingPathComponent(tool).path
        process.executableURL = URL(fileURLWithPath: asPostgres ? "/usr/sbin/runuser" : path)
        process.arguments = asPostgres ? ["-u", "postgres", "--", path] + arguments : arguments
        // Output goes to a file, not a pipe: the server pg_ctl starts would hold a pipe open for ever.
        let output = directory.appendingPathComponent("\(tool).out")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ClusterError(
                "\(tool) \(arguments.joined(separator: " ")): \((try? String(contentsOf: output, encoding: .utf8)) ?? "")"
            )
        }
    }

    private static func ownedByPostgres(_ directory: URL) throws {
        guard getuid() == 0 else { return }
        let chown = Process()
        chown.executableURL = URL(fileURLWithPath: "/bin/chown")
        chown.arguments = ["postgres:postgres", directory.path]
        try chown.run()
        chown.waitUntilExit()
    }

    /// A port nothing listens on now (the kernel's pick for a socket bound to port 0).
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

public struct ClusterError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

extension String {
    func appendToFile(_ path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(utf8))
    }
}
