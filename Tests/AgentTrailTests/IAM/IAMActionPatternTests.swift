import Testing
@testable import AgentTrail

/// Action patterns are matched against the action's lowercased key instead of a `prefix:Name` string built per test;
/// the expansion used for grants skips the catalogue sort. Both must answer exactly as before.
@Suite struct IAMActionPatternTests {
    static let actions: [IAMAction] = [
        IAMAction(prefix: "s3", name: "GetObject"), IAMAction(prefix: "bedrock", name: "InvokeModel"),
        IAMAction(prefix: "bedrock-agentcore", name: "InvokeAgentRuntime"), IAMAction(prefix: "ec2", name: "DescribeInstances"),
        IAMAction(prefix: "S3", name: "PUTObject"), IAMAction(prefix: "x", name: "Ünïcode"), IAMAction(prefix: "É", name: "a"),
    ]

    @Test(arguments: ["*", "s3:*", "S3:get*", "*:Invoke*", "bedrock*", "*Object", "s?:GetObject", "ec2:Describe*",
                      "x:ü*", "x:Ü*", "é:*", "É:*", "*:*", "s3:GetObject", "s3:getobject", "bedrock-agentcore:*Runtime"])
    func matchesEqualsGlobOnDescription(pattern: String) {
        let compiled = ActionPattern(pattern)
        let glob = Glob(pattern, caseInsensitive: true)
        for action in Self.actions {
            let expected = pattern == "*" || glob.matches(action.description)
            #expect(compiled.matches(action) == expected, "\(pattern) vs \(action)")
        }
    }

    @Test(arguments: ["*", "s3:*", "ec2:Describe*", "bedrock:Invoke*", "*:List*", "s3:GetObject", "S3:GETOBJECT",
                      "nosuch:*", "s3", "iam:Pass?ole"])
    func unorderedExpansionHasTheSameActions(pattern: String) {
        let catalogue = ActionCatalogue.shared
        let sorted = catalogue.expand(pattern: pattern)
        let unordered = catalogue.expandUnordered(pattern: pattern)
        #expect(unordered.count == sorted.count)
        #expect(Set(unordered) == Set(sorted))
        #expect(sorted == sorted.sorted())
    }
}
