// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Understudy",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "understudy", targets: ["understudy"]),
        .library(name: "UnderstudyServer", targets: ["UnderstudyServer"]),
        // The test harness: the server in process or live, clients on AWSWire's codecs.
        .library(name: "UnderstudyTesting", targets: ["UnderstudyTesting"]),
        .library(name: "JSONCore", targets: ["JSONCore"]),
        .library(name: "AWSWire", targets: ["AWSWire"]),
        .library(name: "JSONata", targets: ["JSONata"]),
        // For the fuzz targets in Fuzz/, which read ASL definitions as the server does.
        .library(name: "StatesEngine", targets: ["StatesEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        // The metrics API and its Prometheus registry, for GET /_understudy/metrics.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        // SQLite, the system library (libsqlite3-dev), for state kept under --data-dir.
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]),
        .target(name: "Durable", dependencies: ["CSQLite", "Locking"]),
        // libcrypto for digests and HMAC, libssl for the upstream client's TLS: both in libssl-dev.
        .systemLibrary(
            name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"]), .brew(["openssl"])]),
        .target(name: "JSONCore"),
        // JavaScript regular expressions matched under a step budget, so a user's pattern
        // can never hold a thread: JSONata's regexes and canned-rule matches use it.
        .target(name: "BoundedRegex"),
        .target(name: "Locking"),
        .target(name: "Determinism", dependencies: ["Locking"]),
        .target(
            name: "AWSWire",
            dependencies: [
                "JSONCore", "CZlib", "COpenSSL",
                .product(name: "NIOCore", package: "swift-nio"),
            ]),
        .target(
            name: "BedrockEngine",
            dependencies: ["JSONCore", "Determinism", "Locking", "ObjectStore", "BoundedRegex"],
            // Compiled into the binary, so `understudy` stays one self-contained file.
            resources: [.embedInCode("Resources/models.json")]),
        .target(name: "ObjectStore", dependencies: ["AWSWire", "JSONCore", "Locking", "Durable"]),
        .target(name: "Chaos", dependencies: ["JSONCore", "Determinism"]),
        .target(name: "JSONata", dependencies: ["JSONCore", "AWSWire", "Determinism", "BoundedRegex"]),
        // The dispatch boundary every service and stage shares: calls, replies, stages, the
        // dispatcher, the clock. No NIO: the HTTP edge is the server's alone.
        .target(name: "ServiceKit", dependencies: ["AWSWire", "JSONCore", "Chaos", "Determinism", "Locking"]),
        // One module per AWS service: its operations over its engine, answering ServiceCalls.
        .target(name: "BedrockService", dependencies: ["ServiceKit", "BedrockEngine", "AWSWire", "JSONCore", "Locking"]),
        .target(name: "S3Service", dependencies: ["ServiceKit", "ObjectStore", "AWSWire", "JSONCore"]),
        // Step Functions' control plane over the interpreter; Task states call their resources
        // through whatever TaskInvoker the composition root hands it.
        .target(
            name: "StepFunctionsService",
            dependencies: ["ServiceKit", "StatesEngine", "AWSWire", "JSONCore", "Determinism", "Locking", "COpenSSL", "Durable"]),
        // The Task integrations: the one module that speaks for a state machine to other
        // services (Bedrock, S3), always through the dispatcher.
        .target(name: "Integrations", dependencies: ["ServiceKit", "StatesEngine", "Chaos", "AWSWire", "JSONCore", "Upstream"]),
        .target(name: "StatesEngine", dependencies: ["JSONCore", "JSONata", "Determinism", "Locking", "COpenSSL", "AWSWire"]),
        // The NIO HTTP edge and nothing else: requests assembled from their parts, replies
        // written (paced, delayed or broken by a fault), connection timeouts and limits. It
        // sees the rest of the server only as an `EdgePipeline` and `EdgeSettings`. Chaos only
        // for the cases of `ConnectionFault`, which ServiceKit's `Delivery` carries.
        .target(
            name: "HTTPEdge",
            dependencies: [
                "AWSWire", "ServiceKit", "Chaos", "Locking",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // The stages every call passes through the dispatcher: journal, authentication, rate
        // limits, faults. No service's module: the composition root hands in their wording.
        .target(
            name: "RequestStages",
            dependencies: [
                "ServiceKit", "AWSWire", "JSONCore", "Chaos", "Determinism", "Locking", .product(name: "Logging", package: "swift-log"),
            ]),
        // Cassettes of real AWS traffic: the files, redaction before writing, matching for
        // replay, the secret scanner and the shape comparison. No NIO: the server's stage and
        // the CLI read and write cassettes through it.
        .target(name: "Recording", dependencies: ["AWSWire", "JSONCore", "BoundedRegex", "Locking"]),
        // Calls Understudy itself makes to other endpoints (an external S3 for batch jobs, the real
        // services a recording forwards to): HTTP/1.1 over NIO, TLS through the system OpenSSL.
        .target(
            name: "Upstream",
            dependencies: [
                "AWSWire", "BedrockEngine", "JSONCore", "COpenSSL",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        // What sending a client's call to real AWS needs, for the recorder: the user's
        // credentials (environment, shared files, credential_process), the upstream endpoint
        // for a service, operation and region, and the request re-signed for it. No NIO.
        .target(name: "Forwarding", dependencies: ["AWSWire", "JSONCore", "Locking"]),
        // Record and replay as a front end the dispatcher calls in place of a service's
        // emulator: forward and keep (record), or answer from the cassette (replay).
        .target(name: "RecordReplay", dependencies: ["ServiceKit", "Recording", "Forwarding", "AWSWire", "JSONCore"]),
        // The composition root: configuration, the admin API and `RequestPipeline`, which builds
        // the engines, services, stages and dispatcher and answers the edge.
        .target(
            name: "UnderstudyServer",
            dependencies: [
                "HTTPEdge", "RequestStages", "Upstream", "ServiceKit", "BedrockService", "S3Service", "StepFunctionsService", "Integrations", "Durable",
                "BedrockEngine", "ObjectStore", "Chaos", "Determinism", "AWSWire", "JSONCore", "RecordReplay", "Recording", "Forwarding", "Locking",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]),
        .target(
            name: "UnderstudyTesting",
            dependencies: [
                "UnderstudyServer", "HTTPEdge", "Upstream", "ServiceKit", "AWSWire", "JSONCore", "Chaos", "BedrockEngine", "Locking",
                .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio"),
            ]),
        .executableTarget(
            name: "understudy",
            dependencies: [
                "UnderstudyServer", "HTTPEdge", "RequestStages", "JSONCore", "AWSWire", "ServiceKit", "StepFunctionsService", "Integrations",
                "BedrockService", "BedrockEngine", "StatesEngine", "Recording",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            plugins: ["BuildInfoPlugin"]),
        // Writes BuildInfo.swift (the git commit) for `understudy --version`, rerun when HEAD moves.
        .plugin(name: "BuildInfoPlugin", capability: .buildTool()),
        .target(name: "VectorSupport", dependencies: ["JSONCore"], path: "Tests/VectorSupport"),
        .testTarget(
            name: "UnderstudyTestingTests",
            dependencies: ["UnderstudyTesting", "UnderstudyServer", "AWSWire", "JSONCore", "Chaos", "BedrockEngine", "VectorSupport"]),
        .testTarget(name: "JSONCoreTests", dependencies: ["JSONCore", "VectorSupport"]),
        .testTarget(name: "DurableTests", dependencies: ["Durable"]),
        .testTarget(name: "BoundedRegexTests", dependencies: ["BoundedRegex", "JSONCore", "VectorSupport"]),
        .testTarget(name: "AWSWireTests", dependencies: ["AWSWire", "JSONCore", "VectorSupport"]),
        .testTarget(name: "StatesEngineTests", dependencies: ["StatesEngine", "JSONCore", "Locking", "VectorSupport"]),
        .testTarget(name: "JSONataTests", dependencies: ["JSONata", "JSONCore"]),
        .testTarget(name: "ObjectStoreTests", dependencies: ["ObjectStore", "AWSWire"]),
        .testTarget(name: "ChaosTests", dependencies: ["Chaos", "Determinism", "JSONCore"]),
        .testTarget(name: "BedrockEngineTests", dependencies: ["BedrockEngine", "JSONCore", "AWSWire", "Determinism", "Locking", "ObjectStore"]),
        .testTarget(
            name: "HTTPEdgeTests",
            dependencies: [
                "HTTPEdge", "AWSWire", "ServiceKit", "JSONCore", "Locking",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(name: "RequestStagesTests", dependencies: ["RequestStages", "ServiceKit", "Chaos", "AWSWire", "JSONCore"]),
        .testTarget(name: "ForwardingTests", dependencies: ["Forwarding", "AWSWire", "JSONCore", "Locking", "VectorSupport"]),
        .testTarget(name: "RecordReplayTests", dependencies: ["RecordReplay", "Recording", "Forwarding", "ServiceKit", "AWSWire", "JSONCore", "Locking"]),
        .testTarget(name: "RecordingTests", dependencies: ["Recording", "AWSWire", "JSONCore", "Locking", "VectorSupport"]),
        .testTarget(
            name: "UpstreamTests",
            dependencies: [
                "Upstream", "AWSWire", "BedrockEngine", "Locking",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]),
        .testTarget(
            name: "UnderstudyServerTests",
            dependencies: [
                "UnderstudyServer", "RequestStages", "Upstream", "ServiceKit", "BedrockService", "BedrockEngine", "StepFunctionsService",
                "StatesEngine", "Integrations", "AWSWire", "JSONCore", "Locking", "UnderstudyTesting",
            ]),
    ]
)

// The compiler checks what the layer table says: existentials are spelled `any`, a file sees
// only the members of modules it imports itself, and an import is internal unless marked
// `public import` (so a module's API says which modules it exposes).
for target in package.targets where target.type != .system && target.type != .plugin {
    target.swiftSettings = (target.swiftSettings ?? []) + [
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
        .enableUpcomingFeature("InternalImportsByDefault"),
    ]
}
