import AgentTrailTestSupport
import Foundation
import Testing
@testable import AgentTrail

/// `RuleFilesFingerprint`: the same rule files give the same text; any change a load could notice gives another.
@Suite struct RuleFilesFingerprintTests {
    enum Change: String, CaseIterable {
        case sameSizeEdit, appended, fileAdded, fileRemoved, modeChanged, renamed
    }

    @Test(arguments: Change.allCases)
    func aChangeChangesIt(change: Change) throws {
        let dir = try TestPaths.temporaryFolder("rule-fingerprint")
        defer { TestPaths.remove(dir) }
        let rules = dir.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        let a = rules.appendingPathComponent("a.yml"), b = rules.appendingPathComponent("b.yaml")
        try "title: A\n".write(to: a, atomically: false, encoding: .utf8)
        try "title: B\n".write(to: b, atomically: false, encoding: .utf8)
        let before = try #require(RuleFilesFingerprint.of(paths: [rules.path]))
        #expect(RuleFilesFingerprint.of(paths: [rules.path]) == before)
        #expect(before.contains(a.path) && before.contains(b.path) && before.hasPrefix("agenttrail "))
        // (A hidden file and a file of another type are not rule files: the loader skips them, and so does this.)
        try "x".write(to: rules.appendingPathComponent(".hidden.yml"), atomically: false, encoding: .utf8)
        try "x".write(to: rules.appendingPathComponent("notes.txt"), atomically: false, encoding: .utf8)
        #expect(RuleFilesFingerprint.of(paths: [rules.path]) == before)

        usleep(10_000)  // (a later modification time, also on file systems with coarse timestamps)
        switch change {
        case .sameSizeEdit: try "title: C\n".write(to: a, atomically: false, encoding: .utf8)
        case .appended: try "title: A\nlevel: low\n".write(to: a, atomically: false, encoding: .utf8)
        case .fileAdded: try "title: D\n".write(to: rules.appendingPathComponent("d.yml"), atomically: false, encoding: .utf8)
        case .fileRemoved: try FileManager.default.removeItem(at: b)
        case .modeChanged: try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: a.path)
        case .renamed: try FileManager.default.moveItem(at: b, to: rules.appendingPathComponent("c.yaml"))
        }
        let after = RuleFilesFingerprint.of(paths: [rules.path])
        #expect(after != nil && after != before)
    }

    @Test func aMissingPathHasNone() throws {
        let dir = try TestPaths.temporaryFolder("rule-fingerprint-missing")
        defer { TestPaths.remove(dir) }
        #expect(RuleFilesFingerprint.of(paths: [dir.path + "/nothing.yml"]) == nil)
        #expect(RuleFilesFingerprint.of(paths: [dir.path]) != nil)  // (an empty folder: no rules, a fingerprint)
    }
}
