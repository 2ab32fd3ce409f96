import Testing
@testable import AgentTrail

/// The change detectors' per-action filter (`ChangeDetector.mayChange`, kept per action by the scan's observers) is
/// exactly the actions `change` can report: it never turns away a reported record (each `change` starts with it), it
/// lets through no action of which no outcome is reported, and it answers from the eventSource and eventName alone.
@Suite struct ChangeDetectorFilterTests {
    static let sources = ["cloudtrail.amazonaws.com", "bedrock.amazonaws.com", "bedrock-mantle.amazonaws.com",
                          "CloudTrail.amazonaws.com", "s3.amazonaws.com", "bedrock-agentcore.amazonaws.com", ""]
    static var names: [String] {
        Array(AuditTamperingDetector.actions) + Array(BedrockGuardrailOrLoggingChangeDetector.actions)
            + Array(ModelAccessChangeDetector.actions) + ["GetObject", "InvokeModel", "stoplogging", "", "DeleteTrail "]
    }
    /// Outcomes that `change` treats differently: success, access denied, another error.
    static let errors: [String?] = [nil, "AccessDenied", "ValidationException"]

    func check<D: ChangeDetector>(_ detector: D) {
        var reported = 0
        for source in Self.sources {
            for name in Self.names {
                var answers = Set<Bool>()
                var reportedHere = false
                for error in Self.errors {
                    let record = TrailFixture.rec(source, name, role: "Admin", error: error)
                    let may = detector.mayChange(record)
                    answers.insert(may)
                    let event = ObservedRecord(record: record, file: "f.json", index: 0)
                    if detector.change(event) != nil {
                        reported += 1
                        reportedHere = true
                        #expect(may, "\(D.self) turns away \(source) \(name) (\(error ?? "success")), which it reports")
                    }
                }
                #expect(answers.count == 1, "\(D.self) answers differently by outcome for \(source) \(name)")
                #expect(answers != [true] || reportedHere, "\(D.self) lets \(source) \(name) through but reports none of its outcomes")
            }
        }
        #expect(reported > 0, "\(D.self): no record reported, so the check checked nothing")
    }

    @Test func auditTampering() { check(AuditTamperingDetector()) }
    @Test func guardrailOrLoggingChange() { check(BedrockGuardrailOrLoggingChangeDetector()) }
    @Test func modelAccessChange() { check(ModelAccessChangeDetector()) }
}
