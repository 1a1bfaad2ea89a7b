// swift-tools-version:6.0
// Hand-run benchmarks, kept out of the main package so CI's single build never compiles them.
import PackageDescription

let package = Package(
    name: "UnderstudyBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Understudy", path: "..")],
    targets: [
        .target(name: "BenchmarkSupport"),
        .executableTarget(
            name: "CodecBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "JSONCore", package: "Understudy"),
                .product(name: "AWSWire", package: "Understudy"),
            ],
            swiftSettings: [.unsafeFlags(["-Ounchecked"])]),
        .executableTarget(
            name: "JSONataBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "JSONCore", package: "Understudy"),
                .product(name: "JSONata", package: "Understudy"),
            ]),
        .executableTarget(
            name: "HarnessBenchmarks",
            dependencies: [.product(name: "UnderstudyTesting", package: "Understudy"), .product(name: "JSONCore", package: "Understudy")]),
        .executableTarget(
            name: "MetricsBenchmarks",
            dependencies: [
                .product(name: "UnderstudyTesting", package: "Understudy"), .product(name: "UnderstudyServer", package: "Understudy"),
                .product(name: "JSONCore", package: "Understudy"),
            ]),
    ]
)
