import Foundation

/// Locations every test target needs — the package root, SampleLogs, the fixtures, `../shared`, the built
/// `agenttrail` binary — and fresh temporary folders. Found from this file's path (`#filePath`), so a failure names
/// the real file, not a copy in a resource bundle.
public enum TestPaths {
    /// The folder holding Package.swift (searched upwards from this file; the current directory if none is found).
    public static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        return FileManager.default.currentDirectoryPath
    }()
    /// `packageRoot` as a file URL.
    public static var packageRootURL: URL { URL(fileURLWithPath: packageRoot, isDirectory: true) }

    /// A path inside the package, e.g. `path("Docs/Detectors.md")`.
    public static func path(_ relative: String) -> String { packageRoot + "/" + relative }
    /// A file URL inside the package.
    public static func url(_ relative: String) -> URL { URL(fileURLWithPath: path(relative)) }

    public static var sampleLogs: String { path("SampleLogs") }
    /// `Tests/AgentTrailTests/Fixtures`: the edge archive, the vendored real logs, policies, goldens.
    public static var fixtures: String { path("Tests/AgentTrailTests/Fixtures") }
    public static var edgeArchive: String { fixtures + "/archive-edge" }
    /// The public CloudTrail samples vendored with the tests (see `Fixtures/reallogs/SOURCES.md`).
    public static var vendoredReallogs: String { fixtures + "/reallogs" }
    /// IAM policy fixtures (`seed/`, `forms/`, `authdetails/`, `2026/`).
    public static var policyFixtures: String { fixtures + "/policies" }
    /// The goldens of the review and of the command outputs (see its README.md).
    public static var goldens: String { fixtures + "/golden" }
    /// The full shared sample set beside the clone (`../shared/reallogs`), which a fresh clone does not have.
    public static var sharedReallogs: String { packageRoot + "/../shared/reallogs" }
    public static var sharedAvailable: Bool { FileManager.default.fileExists(atPath: sharedReallogs) }

    /// The built `agenttrail` executable: next to the test bundle (the CLI test target depends on the executable, so
    /// it is in the same build folder), beside or above the running test binary, else `.build/debug`.
    public static var executable: String? {
        var candidates = [
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("agenttrail").path,
            Bundle.main.bundleURL.appendingPathComponent("agenttrail").path,
        ]
        if let arg0 = CommandLine.arguments.first {
            var u = URL(fileURLWithPath: arg0).deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(u.appendingPathComponent("agenttrail").path)
                u = u.deletingLastPathComponent()
            }
        }
        candidates.append(path(".build/debug/agenttrail"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A JSON object read from a file (empty when the file holds something else).
    public static func json(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    /// A fresh, empty folder `agenttrail-<name>-<pid>-<random>` in the system's temporary directory; remove it
    /// with `remove`.
    public static func temporaryFolder(_ name: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("agenttrail-\(name)-\(getpid())-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Removes a temporary folder (or file); errors are ignored.
    public static func remove(_ url: URL) { try? FileManager.default.removeItem(at: url) }
}
