import AgentTrailTestSupport
import Foundation
import Testing

/// Walked files are opened from their directory, held open (`OpenDirectory`): with a low descriptor limit
/// (`ulimit -n`), fewer are held, never so many that the log files cannot be opened. (With 256 held whatever the
/// limit, a scan of SampleLogs under `ulimit -n 24` failed 35 files and read 32 of 1,325.)
@Suite struct LowDescriptorLimitTests {
    @Test(arguments: [24, 64])
    func aScanUnderALowLimitReadsEveryFile(limit: Int) throws {
        let bin = try #require(TestPaths.executable, "agenttrail binary not found next to the tests or in .build/debug")
        func scan(_ ulimit: Int?) throws -> [String: Any] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            let command = "exec \"$0\" scan --jobs 2 --format json \"$1\""
            p.arguments = ["-c", (ulimit.map { "ulimit -n \($0) && " } ?? "") + command, bin, TestPaths.sampleLogs]
            p.environment = CLI.environment()
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            try p.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            var o = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            o["performance"] = nil
            return o
        }
        let low = try scan(limit), normal = try scan(nil)
        let files = try #require(low["files"] as? [String: Any])
        #expect((files["failed"] as? [Any])?.isEmpty == true)
        #expect((files["read"] as? Int ?? 0) > 1_000)
        #expect(NSDictionary(dictionary: low).isEqual(to: normal))
    }
}
