// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "AgentTrail",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "AgentTrail", targets: ["AgentTrail"]),
        .executable(name: "agenttrail", targets: ["agenttrail"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        // Bracket matching 64 bytes at a time for the per-record path (SSE2 where the target has it, portable C
        // elsewhere); the Swift implementation it replaced is the tests' oracle.
        .target(name: "CJSONScan"),
        .target(
            name: "AgentTrail",
            dependencies: ["CZlib", "CJSONScan", .product(name: "Yams", package: "Yams")],
            resources: [.copy("Resources/iam-catalogue-all.json"), .copy("Resources/cloudtrail-to-iam-overrides.json"),
                        .copy("Resources/aws-ip-ranges.json"), .copy("Resources/rules")],
            // Release builds skip the runtime exclusivity checks of class properties on the per-record path
            // (~2% of a scan's instructions); debug builds, and so `swift test`, keep them.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
                            .unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))]
        ),
        .target(
            name: "AgentTrailStore",
            dependencies: ["AgentTrail", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))]
        ),
        .executableTarget(
            name: "agenttrail",
            dependencies: [
                "AgentTrail", "AgentTrailStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // Release builds on Linux link the Swift runtime and Foundation statically: a binary that runs on a
            // machine without a Swift toolchain, ~4 MB less resident memory (the shared libraries' relocations and
            // pages are not mapped) and ~1 % fewer instructions per scan (Docs/PerformanceHistory.md, fifth round).
            swiftSettings: [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))],
            linkerSettings: [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))]
        ),
        // Helpers the test targets share (package and fixture paths, the built binary, CLI runner, hostile-file
        // builders, golden comparison). A regular target so that test targets can depend on it; no product uses it.
        .target(name: "AgentTrailTestSupport", path: "Tests/AgentTrailTestSupport"),
        .testTarget(name: "AgentTrailTests", dependencies: ["AgentTrail", "CJSONScan", "AgentTrailTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "AgentTrailStoreTests", dependencies: ["AgentTrailStore", "AgentTrailTestSupport"]),
        // (ArgumentParser: parse the command lines of deploy/'s manifests; Yams: read those manifests.)
        .testTarget(name: "agenttrailTests", dependencies: [
            "agenttrail", "AgentTrail", "AgentTrailTestSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"), .product(name: "Yams", package: "Yams"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
