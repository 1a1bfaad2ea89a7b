// swift-tools-version:6.0
// libFuzzer targets, kept out of the main package (like Benchmarks/) so CI's single build never
// compiles them. `scripts/fuzz` builds and runs them; see docs/testing.md.
//
// Each target is one file defining `LLVMFuzzerTestOneInput` over the entry point the server
// itself calls. The build instruments the main package's modules too (scripts/fuzz passes the
// sanitizer flags to every swiftc call), so coverage guides the fuzzer through the real parsers.
import PackageDescription

let package = Package(
    name: "UnderstudyFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Understudy", path: "..")],
    targets: [
        .target(name: "FuzzSupport"),
        .executableTarget(name: "JSONFuzzer", dependencies: ["FuzzSupport", .product(name: "JSONCore", package: "Understudy")]),
        .executableTarget(name: "EventStreamFuzzer", dependencies: ["FuzzSupport", .product(name: "AWSWire", package: "Understudy")]),
        .executableTarget(name: "SigV4Fuzzer", dependencies: ["FuzzSupport", .product(name: "AWSWire", package: "Understudy")]),
        .executableTarget(name: "ChunkedFuzzer", dependencies: ["FuzzSupport", .product(name: "AWSWire", package: "Understudy")]),
        .executableTarget(name: "XMLFuzzer", dependencies: ["FuzzSupport", .product(name: "AWSWire", package: "Understudy")]),
        .executableTarget(name: "GzipFuzzer", dependencies: ["FuzzSupport", .product(name: "AWSWire", package: "Understudy")]),
        .executableTarget(
            name: "ASLFuzzer",
            dependencies: ["FuzzSupport", .product(name: "StatesEngine", package: "Understudy"), .product(name: "JSONCore", package: "Understudy")]),
        .executableTarget(name: "JSONataFuzzer", dependencies: [.product(name: "JSONata", package: "Understudy")]),
        .executableTarget(
            name: "JSONataEvalFuzzer",
            dependencies: ["FuzzSupport", .product(name: "JSONata", package: "Understudy"), .product(name: "JSONCore", package: "Understudy")]),
    ]
)

// libFuzzer brings `main`, so a target's file is compiled as a library file, not top-level code.
for target in package.targets {
    target.swiftSettings = (target.type == .executable ? [.unsafeFlags(["-parse-as-library"])] : []) + [
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
        .enableUpcomingFeature("InternalImportsByDefault"),
    ]
}
