import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus

/// `GET /metrics` for Prometheus, on a port of its own (`METRICS_HOST`:`METRICS_PORT`) so that it
/// is never served with the API. The process's own figures are read when scraped; everything
/// else is kept by swift-metrics as it happens.
struct MetricsEndpoint {
    let registry: PrometheusCollectorRegistry
    let process: ProcessFigures

    /// Makes swift-metrics record into a new registry; call once, before any metric is made.
    static func bootstrap() -> MetricsEndpoint {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        ]
        // A tube's way from the bedside to its result takes hours, not milliseconds.
        factory.durationHistogramBuckets["cordon_lab_collection_to_result_seconds"] = [
            .seconds(3600), .seconds(2 * 3600), .seconds(4 * 3600), .seconds(6 * 3600), .seconds(8 * 3600),
            .seconds(12 * 3600), .seconds(24 * 3600), .seconds(48 * 3600),
        ]
        MetricsSystem.bootstrap(DescribedMetricsFactory(base: factory))
        registry.makeGauge(
            name: "cordon_build_info", labels: [("version", BuildInfo.version), ("commit", BuildInfo.commit)],
            help: "Always 1; the version and commit of the running build"
        ).set(1.0)
        return MetricsEndpoint(registry: registry, process: ProcessFigures(registry: registry))
    }

    func application(host: String, port: Int, logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        let (registry, process) = (registry, process)
        router.get("/metrics") { _, _ in
            process.update()
            var buffer: [UInt8] = []
            buffer.reserveCapacity(16_384)
            registry.emit(into: &buffer)
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        var metricsLogger = logger
        metricsLogger[metadataKey: "endpoint"] = "metrics"
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "cordon-metrics"),
            logger: metricsLogger)
    }
}

/// Resident memory, CPU time, open file descriptors and start time, from `/proc/self`.
struct ProcessFigures: Sendable {
    let memory: Prometheus.Gauge
    let cpu: Prometheus.Gauge
    let files: Prometheus.Gauge

    init(registry: PrometheusCollectorRegistry) {
        memory = registry.makeGauge(name: "process_resident_memory_bytes", help: "Resident memory size in bytes")
        cpu = registry.makeGauge(name: "process_cpu_seconds_total", help: "User and system CPU time in seconds")
        files = registry.makeGauge(name: "process_open_fds", help: "Open file descriptors")
        registry.makeGauge(name: "process_start_time_seconds", help: "Start time since the epoch in seconds")
            .set(Date().timeIntervalSince1970)
    }

    func update() {
        let page = Double(sysconf(Int32(_SC_PAGESIZE)))
        if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
            let resident = statm.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
        {
            memory.set(resident * page)
        }
        // Fields 14 and 15 of /proc/self/stat, counted after the command name in parentheses.
        if let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        {
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) {
                cpu.set((user + system) / Double(sysconf(Int32(_SC_CLK_TCK))))
            }
        }
        if let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            files.set(Double(entries.count))
        }
    }
}
