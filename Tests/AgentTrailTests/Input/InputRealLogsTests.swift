import Foundation
import Testing
@testable import AgentTrail

private typealias T = InputTestSupport

/// Reads the public sample logs vendored in `Fixtures/reallogs` (plain JSON and gzip, CloudTrail's own file name).
@Suite struct InputRealLogsTests {
    @Test func realLogsDecompressIdenticallyWithEveryDecompressor() throws {
        let dir = T.vendoredRealLogs
        let walk = ArchiveWalker().walk([dir.path])
        #expect(walk.failures.isEmpty)
        // panther-labelled-tests.json holds Panther's labelled test cases (records inside `tests[].log`), not a
        // CloudTrail file: the walker lists it by name, the scan skips it as not CloudTrail.
        let logs = walk.files.filter { !$0.path.hasSuffix("/panther-labelled-tests.json") }
        #expect(walk.files.count == 7 && logs.count == 6)
        #expect(!walk.files.contains { $0.path.hasSuffix("SOURCES.md") || $0.path.hasSuffix(".txt") })
        for file in logs {
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
