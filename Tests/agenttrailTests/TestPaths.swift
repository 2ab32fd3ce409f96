import Foundation

/// Locations of the package root, SampleLogs, fixtures and ../shared, found from this file's path.
enum TestPaths {
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        return FileManager.default.currentDirectoryPath
    }()
    static var sampleLogs: String { packageRoot + "/SampleLogs" }
    static var edgeArchive: String { packageRoot + "/Tests/AgentTrailTests/Fixtures/archive-edge" }
    /// The public CloudTrail samples vendored with the tests (see `Fixtures/reallogs/SOURCES.md`).
    static var vendoredReallogs: String { packageRoot + "/Tests/AgentTrailTests/Fixtures/reallogs" }
    /// The full shared sample set beside the clone (`../shared/reallogs`), which a fresh clone does not have.
    static var sharedReallogs: String { packageRoot + "/../shared/reallogs" }
    static var sharedAvailable: Bool { FileManager.default.fileExists(atPath: sharedReallogs) }

    /// The built `agenttrail` executable next to the test bundle (same build folder).
    static var executable: String? {
        let candidates = [
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("agenttrail").path,
            Bundle.main.bundleURL.appendingPathComponent("agenttrail").path,
            packageRoot + "/.build/debug/agenttrail",
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func json(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }
}
