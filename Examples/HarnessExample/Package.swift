// swift-tools-version:6.0
// A tiny app that asks Claude on Bedrock for a joke, and its tests on UnderstudyTesting: the
// shape of a user's own package. CI builds and tests it (`.ci/run`).
import PackageDescription

let package = Package(
    name: "HarnessExample",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Understudy", path: "../..")],
    targets: [
        .target(name: "JokeTeller"),
        .testTarget(
            name: "JokeTellerTests",
            dependencies: [
                "JokeTeller",
                .product(name: "UnderstudyTesting", package: "Understudy"),
                .product(name: "JSONCore", package: "Understudy"),
            ]),
    ]
)
