// swift-tools-version: 6.1
import Foundation
import PackageDescription

/// The migration files, shipped as resources of the Migrations target. SwiftPM caches this
/// manifest's evaluation (this very file list) while Package.swift's text is unchanged, so the
/// Deploy scripts build with `--manifest-cache none` (a test checks the bundle).
let migrationFiles = ((try? FileManager.default.contentsOfDirectory(atPath: Context.packageDirectory + "/SQL")) ?? [])
    .filter { $0.hasSuffix(".sql") }
    .sorted()

let package = Package(
    name: "Cordon",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "cordon", targets: ["cordon"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird.git", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-openapi-generator.git", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.0.0"),
        // Typed ids (Site.ID, Patient.ID, ...): a site's id is never passed where a patient's is meant.
        .package(url: "https://github.com/pointfreeco/swift-tagged.git", from: "0.10.0"),
        // Reads openapi.yaml in the HTTP tests (already built for the OpenAPI generator).
        .package(url: "https://github.com/jpsim/Yams.git", "5.0.1"..<"7.0.0"),
        // bcrypt for the web console's passwords (only its HummingbirdBcrypt product is built).
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        // The web console's HTML templates; escapes by default.
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        // Metrics through the swift-metrics API, served to Prometheus by `cordon serve`.
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // Traces: spans through the swift-distributed-tracing API, exported over OTLP/HTTP by
        // swift-otel only when OTEL_EXPORTER_OTLP_ENDPOINT is set (its gRPC exporter is not built).
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
        // The console's file uploads (a roster spreadsheet) arrive as multipart/form-data.
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
    ],
    targets: [
        // Values, rules and state machines: pure Swift, no I/O.
        .target(name: "Domain", dependencies: [.product(name: "Tagged", package: "swift-tagged")]),
        // The numbered SQL migrations, shipped as resources.
        .target(
            name: "Migrations",
            path: "SQL",
            sources: ["MigrationFiles.swift"],
            resources: migrationFiles.map { .copy($0) }
        ),
        // PostgresNIO repositories, the migrator and SQLSTATE mapping.
        .target(
            name: "Storage",
            dependencies: [
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                "Domain", "Migrations",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Tagged", package: "swift-tagged"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // libqrencode and libpng from the system (Debian: libqrencode-dev, libpng-dev).
        .systemLibrary(
            name: "CQREncode", path: "Sources/CQREncode", pkgConfig: "libqrencode",
            providers: [.apt(["libqrencode-dev"])]),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        // glibc's malloc tuning (mallopt), for `cordon serve`.
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        // QR code posters (SVG, PNG) drawn from libqrencode's modules.
        .target(name: "QRCodeImage", dependencies: ["CQREncode", "CPNG"]),
        // zint (Debian: libzint-dev, no pkg-config file) encodes barcodes; cairo and Pango
        // (libcairo2-dev, libpango1.0-dev) write them with text into PDF.
        .systemLibrary(name: "CZint", path: "Sources/CZint", providers: [.apt(["libzint-dev"])]),
        .systemLibrary(
            name: "CPangoCairo", path: "Sources/CPangoCairo", pkgConfig: "pangocairo",
            providers: [.apt(["libpango1.0-dev", "libcairo2-dev"])]),
        // Tube labels, wristbands, manifests and release certificates as PDF.
        .target(name: "LabelPDF", dependencies: ["CZint", "CPangoCairo", "QRCodeImage"]),
        // Use cases: one transaction each, with authorisation and audit; the webhook dispatcher.
        .target(
            name: "Services",
            dependencies: [
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                "Domain", "Storage", "QRCodeImage", "LabelPDF",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // The web console: server-rendered pages at /console/ over the same services as the API.
        .target(
            name: "WebConsole",
            dependencies: [
                "Domain", "Services", "QRCodeImage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Templates"), .copy("Catalogues"), .copy("Static")]
        ),
        // The API as hospital systems integrate against it: openapi.yaml, and the types and server
        // stubs generated from it.
        .target(
            name: "CordonAPI",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            resources: [.copy("openapi.yaml")],
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        // The REST API: handlers of the generated protocol, its middleware and problem+json.
        .target(
            name: "HTTPAPI",
            dependencies: [
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                "Domain", "Services", "Settings", "CordonAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Resources/check-in.html")]
        ),
        // Every setting, read once from the environment and checked (swift-configuration).
        .target(
            name: "Settings",
            dependencies: [
                "Domain", "Services",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The composition root: the services, the API and the console side by side, one application.
        .target(
            name: "CordonApp",
            dependencies: [
                "Domain", "Services", "Settings", "HTTPAPI", "WebConsole",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "cordon",
            dependencies: [
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                "Domain", "Services", "CordonApp", "Settings", "CMalloc",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The framework's floor the benchmark measures Cordon against (Deploy/bench.sh).
        .executableTarget(
            name: "FrameworkFloor",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Shared test helpers: a migrated template database cloned per test.
        .target(
            name: "TestSupport",
            dependencies: [
                "Domain", "Storage", "Services",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "DomainTests", dependencies: ["Domain"]),
        .testTarget(name: "SettingsTests", dependencies: ["Settings", "Services"]),
        .testTarget(
            name: "StorageTests",
            dependencies: [
                "Storage", "Services", "TestSupport", .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .testTarget(
            name: "HTTPAPITests",
            dependencies: [
                "CordonApp", "HTTPAPI", "Settings", "Services", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(
            name: "ServicesTests",
            // Hummingbird serves the loopback receiver the webhook tests deliver to.
            dependencies: [
                "Services", "Domain", "TestSupport", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["TestSupport", "Services", .product(name: "PostgresNIO", package: "postgres-nio")]),
    ]
)
