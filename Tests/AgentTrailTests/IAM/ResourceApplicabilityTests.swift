import Testing
@testable import AgentTrail

/// `ResourceApplicability.Resolved` (a statement's `Resource` resolved once, then asked per action) against the
/// per-call decision it replaced, kept here as the oracle: every spec of the table with every action.
@Suite("Resource applicability")
struct ResourceApplicabilityTests {
    static let specs: [ResourceSpec] = [
        .unspecified, .notResources(["arn:aws:s3:::b/*"]), .resources([]), .resources(["*"]),
        .resources(["arn:aws:s3:::b/*", "*"]), .resources(["arn:aws:s3:::b/*"]), .resources(["arn:aws:s3:::b"]),
        .resources(["arn:aws:s3:::b", "arn:aws:s3:::b/*"]), .resources(["arn:*:s3:::b"]), .resources(["arn:aws:*:*:*:*"]),
        .resources(["arn:aws:dynamodb:us-east-1:111122223333:table/T"]), .resources(["arn:aws:nosuchservice:::x"]),
        .resources(["arn:aws:bedrock:us-east-1::foundation-model/*", "arn:aws:bedrock:*:*:inference-profile/*"]),
        .resources(["arn:aws:bedrock-agentcore:us-east-1:111122223333:runtime/r-1"]), .resources(["not-an-arn"]),
        .resources(["arn:aws:iam::111122223333:role/R"]), .resources(["ARN:AWS:S3:::B"]),
    ]
    static let actions = [
        "s3:GetObject", "s3:ListBucket", "S3:LISTBUCKET", "s3:ListAllMyBuckets", "dynamodb:GetItem", "ec2:DescribeInstances",
        "bedrock:InvokeModel", "bedrock-agentcore:InvokeAgentRuntime", "iam:PassRole", "nosuchservice:Do", "sts:GetCallerIdentity",
    ].compactMap { IAMAction($0) }

    /// The decision as it was made per call before (`statementApplies` with a pattern memo).
    static func reference(_ spec: ResourceSpec, _ action: IAMAction, _ catalogue: ActionCatalogue) -> Bool {
        guard case .resources(let patterns) = spec else { return spec != .unspecified }
        if patterns.contains(where: { Glob.matchesAsterisk($0) }) { return true }
        guard let info = catalogue.action(named: action) else { return true }
        guard info.supportsResourceLevelPermissions else { return false }
        let prefix = action.prefix.lowercased()
        return patterns.contains { p in
            guard let types = catalogue.resourceTypes(compatibleWith: p) else { return true }
            return types.contains { type in
                info.resourceTypes.contains { $0.name == type.name } && type.prefix.lowercased() == prefix
            }
        }
    }

    @Test(arguments: specs)
    func resolvedDecidesAsBefore(spec: ResourceSpec) {
        let catalogue = ActionCatalogue.shared
        var memo: [String: [ResourceTypeInfo]?] = [:]
        let resolved = ResourceApplicability.Resolved(spec, catalogue: catalogue, memo: &memo)
        let again = ResourceApplicability.Resolved(spec, catalogue: catalogue, memo: &memo)  // (from the memo)
        for action in Self.actions {
            let expected = Self.reference(spec, action, catalogue)
            #expect(resolved.applies(to: action, catalogue: catalogue) == expected, "\(spec) \(action)")
            #expect(again.applies(to: action, catalogue: catalogue) == expected, "\(spec) \(action) (memo)")
            #expect(ResourceApplicability.statementApplies(spec, to: action, catalogue: catalogue) == expected)
        }
    }

    /// The table is not trivial: some specs apply to some actions and not to others.
    @Test func tableHasBothAnswers() {
        let answers = Self.specs.flatMap { spec in Self.actions.map { Self.reference(spec, $0, .shared) } }
        #expect(answers.contains(true) && answers.contains(false))
        #expect(!ResourceApplicability.statementApplies(.resources(["arn:aws:s3:::b"]), to: IAMAction("s3:GetObject")!))
        #expect(ResourceApplicability.statementApplies(.resources(["arn:aws:s3:::b/*"]), to: IAMAction("s3:GetObject")!))
        #expect(!ResourceApplicability.statementApplies(.resources(["arn:aws:s3:::b/*"]), to: IAMAction("ec2:DescribeInstances")!))
    }
}
