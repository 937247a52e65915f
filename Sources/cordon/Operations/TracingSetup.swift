import Foundation
import Logging
import OTel
import ServiceLifecycle
import Tracing

/// Traces over OTLP/HTTP when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `..._TRACES_ENDPOINT`) is set; the
/// standard `OTEL_*` variables tune the exporter (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`, say).
/// When neither is set no tracer is bootstrapped and spans cost next to nothing.
enum TracingSetup {
    struct Enabled {
        /// Sends finished spans; runs in the service group.
        var exporter: any Service
        /// Puts `trace_id` and `span_id` on every log line written inside a span.
        var logMetadata: Logger.MetadataProvider
    }

    static func bootstrapIfConfigured(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> Enabled?
    {
        let endpoint = environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] ?? environment["OTEL_EXPORTER_OTLP_ENDPOINT"]
        guard let endpoint, !endpoint.isEmpty else { return nil }
        var configuration = OTel.Configuration.default
        configuration.serviceName = "cordon"
        configuration.metrics.enabled = false
        configuration.logs.enabled = false
        let backend = try OTel.makeTracingBackend(configuration: configuration)
        InstrumentationSystem.bootstrap(backend.factory)
        return Enabled(exporter: backend.service, logMetadata: OTel.makeLoggingMetadataProvider())
    }
}
