import Foundation
import Testing
@testable import AgentTrail

private typealias T = InputTestSupport

/// Reads the real sample logs in `<package root>/../shared/reallogs` when that folder exists.
@Suite struct InputRealLogsTests {
    static let reallogs: URL? = T.sharedDirectory?.appendingPathComponent("reallogs")

    @Test(.enabled(if: reallogs != nil, "shared/reallogs not found beside the package; skipping real-log input tests"))
    func realLogsDecompressIdenticallyWithEveryDecompressor() throws {
        let dir = try #require(Self.reallogs)
        let walk = ArchiveWalker().walk([dir.path])
        #expect(walk.failures.isEmpty)
        #expect(walk.files.count >= 10)
        #expect(!walk.files.contains { $0.path.hasSuffix("SOURCES.md") })
        for file in walk.files {
            var outputs: [[UInt8]] = []
            for decompressor in T.decompressors {
                let outcome = T.read(file.path, with: InputReader(decompressor: decompressor))
                #expect(outcome.error == nil, "\(file.path)")
                outputs.append(outcome.bytes)
            }
            #expect(Set(outputs).count == 1, "\(file.path)")
            let text = String(decoding: outputs[0].prefix(64), as: UTF8.self)
            #expect(text.contains("Records"), "\(file.path)")
        }
        let named = try #require(walk.files.first { $0.path.contains("trailscraper") })
        #expect(named.account == "111111111111" && named.region == "eu-central-1")
    }
}
