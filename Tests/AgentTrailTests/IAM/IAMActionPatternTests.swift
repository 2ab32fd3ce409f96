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

    /// Every catalogue action (and a few made-up ones) against patterns whose service part is literal, which are
    /// answered from the key's first bytes when the service differs (`ActionPattern`'s service prefix): the same
    /// answers as the glob on the description, including mixed case, whitespace, empty names, a prefix of another
    /// service's prefix, wildcards or non-ASCII before the colon (no shortcut), no colon at all.
    @Test(arguments: ["s3:Get*", " S3:get* ", "s3:", "s:*", "s3x:*", "S3:*", "ec2:describe*", "BEDROCK-AGENTCORE:*",
                      "bedrock:Invoke*", "bedrock-agent:*", "kms:?ecrypt", "s3*:*", "?3:GetObject", "bedrock", "a:b:c",
                      "iam:PassRole", "x:*", "É:*", "*"])
    func servicePrefixShortcutOverTheCatalogue(pattern: String) {
        let compiled = ActionPattern(pattern)
        let trimmed = pattern.trimmingASCIIWhitespace
        let glob = Glob(String(trimmed), caseInsensitive: true)
        var actions = Self.actions
        ActionCatalogue.shared.forEachAction { actions.append($0) }
        var matched = 0
        for action in actions {
            let expected = trimmed == "*" || glob.matches(action.description)
            if expected { matched += 1 }
            #expect(compiled.matches(action) == expected, "\(pattern) vs \(action)")
        }
        if ["s3:Get*", "ec2:describe*", "BEDROCK-AGENTCORE:*", "kms:?ecrypt", "iam:PassRole"].contains(pattern) {
            #expect(matched > 0, "\(pattern) should match catalogue actions")
        }
    }

    /// A `NotAction`'s actions (`ActionCatalogue.forEachAction(matchingNoneOf:)`, which skips the services no pattern
    /// names) are those of testing every catalogue action against every pattern, in the same order.
    @Test(arguments: [["s3:DeleteBucket", "S3:PutBucket*"], ["iam:*", "organizations:*"], ["*"], ["s3*:*"], ["bedrock"],
                      [], ["É:x"], [" kms:Decrypt ", "kms:?ncrypt"], ["?3:GetObject", "ec2:*"], ["a:b:c"]])
    func notActionSkipsOnlyUnreachableServices(patterns: [String]) {
        let catalogue = ActionCatalogue.shared
        let compiled = patterns.map(ActionPattern.init)
        var expected: [IAMAction] = [], got: [IAMAction] = []
        catalogue.forEachAction { a in if !compiled.contains(where: { $0.matches(a) }) { expected.append(a) } }
        catalogue.forEachAction(matchingNoneOf: compiled) { got.append($0) }
        #expect(got.map(\.description) == expected.map(\.description), "\(patterns)")
        if patterns == ["iam:*", "organizations:*"] { #expect(got.count < catalogue.actionCount - 100) }  // (the oracle is not trivial)
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
