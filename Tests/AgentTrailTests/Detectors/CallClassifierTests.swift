import Testing
@testable import AgentTrail

@Suite struct CallClassifierTests {
    @Test(arguments: [
        ("InvokeModel", nil as Bool?, true), ("ConverseStream", true, true), ("ListFoundationModels", true, false),
        ("GetFoundationModel", nil, false), ("CreateAgentRuntime", nil, true), ("Settings", nil, false),
        ("DescribeThing", false, true),
    ])
    func writeOrInvoke(name: String, readOnly: Bool?, expected: Bool) {
        #expect(CallClassifier.isWriteOrInvoke(F.rec(name: name, readOnly: readOnly)) == expected)
    }
}
