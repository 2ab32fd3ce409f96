// swift-tools-version:6.1
// libFuzzer targets for AgentTrail's parsers: a separate package, so the main build and `swift test` never see the
// sanitizer flags. Build and run them with Scripts/fuzz.sh (Linux; see Docs/Reliability.md#fuzzing):
//   swift build --package-path Fuzz --scratch-path Fuzz/.build-fuzz -c debug \
//     -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library --product FuzzRecords
import PackageDescription

let targets = ["FuzzGzip", "FuzzRecords", "FuzzInstant", "FuzzPolicy", "FuzzConfig"]

let package = Package(
    name: "AgentTrailFuzz",
    platforms: [.macOS(.v14)],
    products: targets.map { .executable(name: $0, targets: [$0]) },
    dependencies: [.package(name: "AgentTrail", path: "..")],
    targets: [.target(name: "FuzzDriver")] + targets.map {
        .executableTarget(name: $0, dependencies: ["FuzzDriver", .product(name: "AgentTrail", package: "AgentTrail")])
    },
    swiftLanguageModes: [.v6]
)
