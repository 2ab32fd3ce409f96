import Foundation
import Testing
@testable import AgentTrail

/// Config YAML and policy JSON are bounded: document size, and YAML nodes after alias expansion.
@Suite struct ConfigLimitsTests {
    /// The flat "billion laughs": one 1,000-entry list, then ~3,800 principals that each alias it (156 KB of text,
    /// 3.8 million CIDRs once expanded). A valid config, so nothing rejected it: parsing took tens of seconds.
    static func flatLaughs() -> String {
        let cidrs = (0..<1000).map { "10.\($0 / 250).\($0 % 250).0/24" }.joined(separator: ", ")
        var text = "trustedCIDRs: &a [\(cidrs)]\nprincipals:\n"
        var i = 0
        while text.utf8.count < 156_000 {
            text += "  - {match: r\(i), trustedCIDRs: *a}\n"
            i += 1
        }
        return text
    }

    /// Nested aliases (10^6 nodes) used as a mapping key: composing hashes the key whole.
    static func nestedKey(levels: Int = 6) -> String {
        var lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
        for n in 1..<levels { lines.append("l\(n): &l\(n) [" + Array(repeating: "*l\(n - 1)", count: 10).joined(separator: ", ") + "]") }
        lines.append("? *l\(levels - 1)\n: 1")
        return lines.joined(separator: "\n") + "\n"
    }

    static func expectTooLarge(_ yaml: String, file: String = "hostile.yml") {
        let start = Date()
        #expect {
            _ = try AgentTrailConfig.parse(yaml: yaml, file: file)
        } throws: { error in
            guard let e = error as? ConfigError else { return false }
            return e.code == .tooLarge && e.description.hasPrefix(file + ":") && e.message.contains("aliases are expanded")
        }
        #expect(Date().timeIntervalSince(start) < 2, "rejected at once")
    }

    @Test func flatBillionLaughsIsRejectedAtOnce() {
        let yaml = Self.flatLaughs()
        #expect(yaml.utf8.count < 160_000)
        Self.expectTooLarge(yaml)
    }

    @Test func nestedAliasesUsedAsAKeyAreRejectedBeforeComposing() {
        Self.expectTooLarge(Self.nestedKey())
        Self.expectTooLarge(Self.nestedKey(levels: 9))  // 10^9 nodes: would hash for minutes
    }

    @Test func nodeCountIsExactWithAliases() {
        #expect(YAMLNodeBudget.count("a: &a [1, 2, 3]\nb: [*a, *a]\n", limit: 100) == .within(1 + 1 + 4 + 1 + 1 + 2 * 4))
        #expect(YAMLNodeBudget.count("a: [1, 2, 3]\n", limit: 3) == .exceeded(line: 1))
        if case .syntaxError = YAMLNodeBudget.count("a: [1, 2\n", limit: 100) {} else { Issue.record("syntax error expected") }
    }

    /// The rule loader skips counting small texts without an anchor, on the grounds that their nodes are fewer than
    /// their bytes: the densest anchorless shapes keep to that.
    @Test(arguments: [
        String(repeating: "[", count: 500) + String(repeating: "]", count: 500),
        "{" + (0..<400).map { _ in "a" }.joined(separator: ",") + "}",
        "[" + (0..<400).map { _ in "a" }.joined(separator: ",") + "]",
        String(repeating: "-\n", count: 400),
        String(repeating: "a:\n", count: 1),
        (0..<300).map { "k\($0):\n" }.joined(),
        String(repeating: "---\n", count: 300),
        "[" + String(repeating: "{a},", count: 300) + "{}]",
        String(repeating: "? \n", count: 200),
        "a: *x\n",
    ])
    func anchorlessTextsHaveFewerNodesThanBytes(_ yaml: String) {
        switch YAMLNodeBudget.count(yaml, limit: 1_000_000) {
        case .within(let nodes): #expect(nodes <= yaml.utf8.count)
        case .exceeded: Issue.record("over a million nodes")
        case .syntaxError: break  // (Yams reports it when the count is skipped)
        }
    }

    @Test func smallAnchorlessTextsAreNotCountedButAnchorsAndSizeAre() {
        #expect(YAMLNodeBudget.count("a: [1, 2, 3]\n", limit: 100, skipsSmallAnchorless: true) == .within(0))
        // An anchor, or more than half the limit in bytes: counted as before.
        #expect(YAMLNodeBudget.count("a: &a [1, 2, 3]\nb: [*a, *a]\n", limit: 10, skipsSmallAnchorless: true) == .exceeded(line: 2))
        #expect(YAMLNodeBudget.count("a: [1, 2, 3]\n", limit: 3, skipsSmallAnchorless: true) == .exceeded(line: 1))
    }

    @Test func aLargeButReasonableConfigStillParses() throws {
        // 300 principals with 20 CIDRs each through one alias: 300 × 26 nodes, far below the limit.
        let cidrs = (0..<20).map { "10.0.\($0).0/24" }.joined(separator: ", ")
        var yaml = "trustedCIDRs: &a [\(cidrs)]\nprincipals:\n"
        for i in 0..<300 { yaml += "  - {match: r\(i), trustedCIDRs: *a}\n" }
        let c = try AgentTrailConfig.parse(yaml: yaml, file: "ok.yml")
        #expect(c.principals.count == 300 && c.principals[299].trustedCIDRs.count == 20)
    }

    @Test func documentSizeIsLimitedAndTheFileNamed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agenttrail-limits-\(getpid())-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let big = dir.appendingPathComponent("big.yml")
        try Data(("# " + String(repeating: "x", count: AgentTrailConfig.maxBytes) + "\n").utf8).write(to: big)
        #expect {
            _ = try AgentTrailConfig.load(path: big.path)
        } throws: { error in
            guard let e = error as? ConfigError else { return false }
            return e.code == .tooLarge && e.description.hasPrefix(big.path + ": ") && e.message.contains("limit")
        }
        #expect(throws: ConfigError.self) { _ = try AgentTrailConfig.parse(yaml: String(repeating: "#", count: AgentTrailConfig.maxBytes + 1), file: "x") }

        // Policy JSON: a (sparse) file above the limit is refused without being read, and named.
        let policy = dir.appendingPathComponent("huge.json")
        #expect(FileManager.default.createFile(atPath: policy.path, contents: nil))
        let h = try FileHandle(forWritingTo: policy)
        try h.truncate(atOffset: UInt64(PolicyLoader.maxFileBytes + 1))
        try h.close()
        let loaded = PolicyLoader().load(paths: [policy.path])
        #expect(loaded.errors.map(\.code) == [.tooLarge])
        #expect(loaded.errors.first?.description.hasPrefix(policy.path + ": ") == true)
        #expect(loaded.errors.first?.isDamagedInput == true)
        #expect(throws: PolicyLoadError.self) { _ = try PolicyLoader.loadDocument(file: policy.path) }
    }
}
