import AgentTrailTestSupport
import Foundation
import Testing
import AgentTrail

@Suite struct ConfigYAMLTests {
    static let full = """
    trustedCIDRs: [203.0.113.0/24, "2001:db8::/32"]
    principals:
      - match: "arn:aws:iam::111122223333:role/AgentCore*"
        trustedCIDRs: [198.51.100.0/24]
        vpcEndpoints: [vpce-1]
        expectedServices: [s3]
      - match: "arn:aws:iam::111122223333:user/*"
    agentRoles: ["arn:aws:iam::*:role/Agent*"]
    expectedAgentServices: [bedrock, logs]
    baseline: {fraction: 0.25, minimumHours: 12, learningDays: 3}
    detectors:
      denied-burst: {distinctActions: 12, windowMinutes: 5, severity: critical}
      bedrock-recon: {reconFraction: 0.5}
      invocation-spike: {floor: 50, multiplier: 2.5, offHoursMinimum: 10}
      weak-tls: {enabled: false}
    suppressions:
      - detector: unknown-source-ip
        principal: "arn:aws:iam::111122223333:user/ci"
        ip: 192.0.2.0/24
        action: "bedrock:*"
        region: us-east-1
        reason: CI
        expires: 2025-06-30
      - {detector: "*", reason: everything}
    dataEvents: {s3: true, bedrock-agentcore: false}
    minimumEvidenceDays: 14
    policies:
      "arn:aws:iam::*:role/AgentCore*": [a.json, b.json]
      "arn:aws:iam::*:user/ci": c.json
    workingHoursUTC: [7, "9-11", "22-1"]
    """

    @Test func parsesEveryKey() throws {
        let c = try AgentTrailConfig.parse(yaml: Self.full, file: "agenttrail.yml")
        #expect(c.trustedCIDRs == [CIDR("203.0.113.0/24")!, CIDR("2001:db8::/32")!])
        #expect(c.principals.count == 2)
        #expect(c.principals[0] == PrincipalRule(pattern: "arn:aws:iam::111122223333:role/AgentCore*", trustedCIDRs: [CIDR("198.51.100.0/24")!],
                                                 vpcEndpoints: ["vpce-1"], expectedServices: ["s3"]))
        #expect(c.principals[1].pattern == "arn:aws:iam::111122223333:user/*" && c.principals[1].trustedCIDRs.isEmpty)
        #expect(c.agentRolePatterns == ["arn:aws:iam::*:role/Agent*"])
        #expect(c.expectedAgentServices == ["bedrock", "logs"])
        #expect(c.baseline.fraction == 0.25 && c.baseline.minimumHours == 12 && c.baseline.learningDays == 3)
        #expect(c.detectors["denied-burst"] == DetectorSettings(severity: .critical, thresholds: ["distinctActions": 12, "windowMinutes": 5]))
        #expect(c.detectors["bedrock-recon"]?.number("reconFraction", default: 0) == 0.5)
        #expect(c.detectors["invocation-spike"]?.thresholds == ["floor": 50, "multiplier": 2.5, "offHoursMinimum": 10])
        #expect(c.isEnabled("weak-tls") == false && c.isEnabled("denied-calls"))
        #expect(c.suppressions.count == 2)
        let s = c.suppressions[0]
        #expect(s.detector == "unknown-source-ip" && s.principal == "arn:aws:iam::111122223333:user/ci")
        #expect(s.ip == CIDR("192.0.2.0/24") && s.action == "bedrock:*" && s.region == "us-east-1" && s.reason == "CI")
        #expect(s.expires == Instant(year: 2025, month: 7, day: 1))
        #expect(s.line == 17)
        #expect(c.suppressions[1].detector == "*" && c.suppressions[1].principal == "*" && c.suppressions[1].expires == nil)
        #expect(c.dataEvents == ["s3": true, "bedrock-agentcore": false])
        #expect(c.minimumEvidenceDays == 14)
        #expect(c.policyFiles == ["arn:aws:iam::*:role/AgentCore*": ["a.json", "b.json"], "arn:aws:iam::*:user/ci": ["c.json"]])
        #expect(c.workingHoursUTC == [0, 1, 7, 9, 10, 11, 22, 23])
    }

    @Test(arguments: ["", "# only a comment\n", "---\n"])
    func emptyDocumentGivesDefaults(yaml: String) throws {
        let c = try AgentTrailConfig.parse(yaml: yaml, file: "x.yml")
        #expect(c.trustedCIDRs.isEmpty && c.detectors.isEmpty && c.baseline.fraction == 0.3 && c.minimumEvidenceDays == 30)
        #expect(c.expectedAgentServices == AgentTrailConfig().expectedAgentServices)
    }

    @Test(arguments: [
        ("detectors:\n  denied-burst:\n    distinctActionz: 3\n", ConfigError.Code.unknownKey, 3,
         "detectors.denied-burst.distinctActionz", "agenttrail.yml:3: unknown key 'detectors.denied-burst.distinctActionz'"),
        ("trustedCIDRs: []\nbogus: 1\n", .unknownKey, 2, "bogus", "agenttrail.yml:2: unknown key 'bogus'"),
        ("principals:\n  - match: x\n    trustedCIDR: []\n", .unknownKey, 3, "principals[0].trustedCIDR", "unknown key 'principals[0].trustedCIDR'"),
        ("detectors:\n  denied-bursts: {}\n", .unknownDetector, 2, "detectors.denied-bursts", "unknown detector 'denied-bursts'"),
        ("detectors:\n  new-region:\n    floor: 3\n", .unknownKey, 3, "detectors.new-region.floor", "unknown key 'detectors.new-region.floor'"),
        ("trustedCIDRs:\n  - 10.0.0.0/8\n  - 10.0.0.0/33\n", .invalidCIDR, 3, "trustedCIDRs[1]", "'10.0.0.0/33' is not a CIDR"),
        ("principals:\n  - match: x\n    trustedCIDRs: [300.1.1.1]\n", .invalidCIDR, 3, "principals[0].trustedCIDRs[0]", "not a CIDR"),
        ("detectors:\n  weak-tls:\n    severity: severe\n", .invalidSeverity, 3, "detectors.weak-tls.severity", "'severe' is not a severity"),
        ("suppressions:\n  - detector: denied-calls\n    reason: r\n    expires: 2025-02-30\n", .invalidDate, 4, "suppressions[0].expires", "is not a date"),
        ("suppressions:\n  - detector: denied-calls\n    reason: r\n    expires: next week\n", .invalidDate, 4, "suppressions[0].expires", "is not a date"),
        ("suppressions:\n  - detector: denied-calls\n    principal: x\n", .missingKey, 2, "suppressions[0].reason", "needs a 'reason'"),
        ("suppressions:\n  - detector: denied-calls\n    reason: \"  \"\n", .invalidValue, 3, "suppressions[0].reason", "must not be empty"),
        ("suppressions:\n  - detector: nope\n    reason: r\n", .unknownDetector, 2, "suppressions[0].detector", "unknown detector 'nope'"),
        ("principals:\n  - trustedCIDRs: [10.0.0.0/8]\n", .missingKey, 2, "principals[0].match", "needs 'match'"),
        ("baseline:\n  fraction: 1.0\n", .outOfRange, 2, "baseline.fraction", "between 0 and 1"),
        ("baseline:\n  fraction: 0\n", .outOfRange, 2, "baseline.fraction", "between 0 and 1"),
        ("baseline:\n  minimumHours: -1\n", .outOfRange, 2, "baseline.minimumHours", "between 0"),
        ("detectors:\n  bedrock-recon:\n    reconFraction: 1.5\n", .outOfRange, 3, "detectors.bedrock-recon.reconFraction", "between 0 (exclusive) and 1"),
        ("detectors:\n  denied-burst:\n    distinctActions: 2.5\n", .outOfRange, 3, "detectors.denied-burst.distinctActions", "whole number"),
        ("detectors:\n  denied-burst:\n    windowMinutes: ten\n", .wrongType, 3, "detectors.denied-burst.windowMinutes", "must be a number"),
        ("detectors:\n  weak-tls:\n    enabled: maybe\n", .wrongType, 3, "detectors.weak-tls.enabled", "true or false"),
        ("trustedCIDRs: 10.0.0.0/8\n", .wrongType, 1, "trustedCIDRs", "must be a list"),
        ("baseline: [1]\n", .wrongType, 1, "baseline", "must be a mapping"),
        ("minimumEvidenceDays: 0\n", .outOfRange, 1, "minimumEvidenceDays", "between 1"),
        ("workingHoursUTC: [8, 24]\n", .outOfRange, 1, "workingHoursUTC[1]", "between 0 and 23"),
        ("workingHoursUTC: [\"8-25\"]\n", .outOfRange, 1, "workingHoursUTC[0]", "range"),
        ("dataEvents:\n  s3: sometimes\n", .wrongType, 2, "dataEvents.s3", "true or false"),
        ("agentRoles: [a]\nagentRoles: [b]\n", .duplicateKey, 2, "agentRoles", "duplicate key 'agentRoles'"),
        ("detectors:\n  weak-tls: {}\n  denied-calls: {}\n  weak-tls: {enabled: false}\n", .duplicateKey, 4, "weak-tls", "agenttrail.yml:4: duplicate key 'weak-tls'"),
        ("principals:\n  - match: [unclosed\n", .syntax, nil, "", "invalid YAML"),
    ] as [(String, ConfigError.Code, Int?, String, String)])
    func errorsNameKeyAndLine(yaml: String, code: ConfigError.Code, line: Int?, keyPath: String, fragment: String) {
        do {
            _ = try AgentTrailConfig.parse(yaml: yaml, file: "agenttrail.yml")
            Issue.record("expected \(code) for \(keyPath)")
        } catch let e as ConfigError {
            #expect(e.code == code)
            if let line { #expect(e.line == line) } else { #expect(e.line != nil) }
            #expect(e.keyPath == keyPath)
            #expect(e.description.contains(fragment), "\(e.description)")
            #expect(e.description.hasPrefix("agenttrail.yml:"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func expiredSuppressions() throws {
        let c = try AgentTrailConfig.parse(yaml: Self.full, file: "agenttrail.yml")
        // Expires 2025-06-30: still valid during that day, expired from 2025-07-01.
        #expect(c.expiredSuppressions(at: Instant(year: 2025, month: 6, day: 30, hour: 23)!).isEmpty)
        #expect(c.expiredSuppressions(at: Instant(year: 2025, month: 7, day: 1, hour: 1)!).map(\.reason) == ["CI"])
    }

    @Test func loadReportsUnreadableFile() {
        #expect(throws: ConfigError.self) { try AgentTrailConfig.load(path: "/nonexistent/agenttrail.yml") }
    }

    @Test func loadsFileFromDisk() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("agenttrail-config-\(UUID().uuidString).yml")
        try "detectors:\n  new-model:\n    enabled: no\n".write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try AgentTrailConfig.load(path: url.path).isEnabled("new-model") == false)
    }

    /// The shipped example must parse and exercise every top-level key.
    @Test func sampleConfigParses() throws {
        let path = TestPaths.sampleLogs + "/agenttrail.yml"
        let c = try AgentTrailConfig.load(path: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for key in AgentTrailConfig.yamlKeys { #expect(text.contains("\n\(key):"), "sample lacks \(key)") }
        for d in DetectorRegistry.descriptors {
            for t in d.thresholds { #expect(c.detectors[d.id.rawValue]?.thresholds[t.name] == t.defaultValue, "\(d.id).\(t.name)") }
        }
        #expect(!c.principals.isEmpty && !c.suppressions.isEmpty && !c.workingHoursUTC.isEmpty)
    }
}

@Suite struct ConfigDetectorCatalogTests {
    @Test func listsEveryReferenceDetectorOnce() {
        #expect(DetectorRegistry.ids.count == 19)
        #expect(Set(DetectorRegistry.ids).count == DetectorRegistry.ids.count)
    }

    @Test(arguments: [
        UnknownSourceIPDetector() as any Detector, AgentRoleOutsideRuntimeDetector(), VPCEndpointBypassDetector(),
        NewRegionDetector(), NewModelDetector(), InvocationSpikeDetector(),
    ].map { ($0.id.rawValue, $0.defaultSeverity) })
    func catalogMatchesDetectors(id: String, severity: Severity) throws {
        #expect(try #require(DetectorRegistry.descriptor(for: id)).defaultSeverity == severity)
    }

    @Test func defaultsAreAccepted() {
        for d in DetectorRegistry.descriptors { for t in d.thresholds { #expect(t.accepts(t.defaultValue), "\(d.id).\(t.name)") } }
    }
}
