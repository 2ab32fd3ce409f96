import Testing
@testable import AgentTrail

@Suite struct WeakTLSDetectorTests {
    typealias F = TrailFixture

    @Test(arguments: [
        ("TLSv1", true), ("TLSv1.0", true), ("TLSv1.1", true), ("SSLv3", true), ("tlsv1.1", true),
        ("TLSv1.2", false), ("TLSv1.3", false),
    ])
    func parses(text: String, weak: Bool) {
        #expect(WeakTLSDetector.isWeak(text) == weak)
    }

    @Test(arguments: ["", "TLS", "TLSv", "TLSv9", "TLSv1.x", "QUIC", "TLSv2.0", "SSLv4"])
    func unknownTextIsNotJudged(text: String) {
        #expect(WeakTLSDetector.isWeak(text) == nil)
        #expect(F.run(WeakTLSDetector(), [F.rec("bedrock.amazonaws.com", "InvokeModel", role: "A", tls: text)]).isEmpty)
    }

    @Test func firesPerPrincipalAndVersion() throws {
        let findings = F.run(WeakTLSDetector(), [
            F.rec("bedrock.amazonaws.com", "InvokeModel", role: "A", tls: "TLSv1.1", host: "bedrock-runtime.us-east-1.amazonaws.com"),
            F.rec("bedrock.amazonaws.com", "Converse", role: "A", tls: "TLSv1.1"),
            F.rec("bedrock.amazonaws.com", "Converse", role: "A", tls: "TLSv1.2"),
            F.rec("bedrock.amazonaws.com", "Converse", role: "A", tls: nil),
        ])
        let f = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(f.subject == ["tlsVersion": "TLSv1.1"])
        #expect(f.count == 2)
        #expect(f.severity == .medium)
        #expect(f.details["hosts"] == ["bedrock-runtime.us-east-1.amazonaws.com"])
    }
}
