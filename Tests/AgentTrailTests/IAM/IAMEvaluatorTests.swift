import Foundation
import Testing
@testable import AgentTrail

@Suite("IAM evaluation")
struct IAMEvaluatorTests {
    static let policy = """
    {"Version": "2012-10-17", "Statement": [
      {"Sid": "Models", "Effect": "Allow", "Action": "bedrock:Invoke*", "Resource": "arn:aws:bedrock:*::foundation-model/anthropic.*"},
      {"Sid": "Runtime", "Effect": "Allow", "Action": "bedrock-agentcore:InvokeAgentRuntime",
       "Resource": "arn:aws:bedrock-agentcore:us-east-1:111122223333:runtime/*",
       "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]}}},
      {"Sid": "AllButIam", "Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "arn:aws:s3:::data/*"},
      {"Sid": "NotSecret", "Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::data/secret/*"},
      {"Sid": "NoDelete", "Effect": "Deny", "Action": "s3:Delete*", "Resource": "*"},
      {"Sid": "VpceOnly", "Effect": "Deny", "Action": "secretsmanager:*", "Resource": "*",
       "Condition": {"StringNotEqualsIfExists": {"aws:SourceVpce": "vpce-1234"}}},
      {"Sid": "Secrets", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"},
      {"Sid": "Regions", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*",
       "Condition": {"StringEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}, "Bool": {"aws:SecureTransport": "true"}}},
      {"Sid": "Role", "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::111122223333:role/service-role/*",
       "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/agents/*"}}},
      {"Sid": "Window", "Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*",
       "Condition": {"DateLessThan": {"aws:CurrentTime": "2026-01-01T00:00:00Z"}, "Null": {"aws:SourceVpce": "true"}}}
    ]}
    """

    enum Want: Equatable { case allow(String), deny(String), implicit, conditional(String) }

    static func ctx(ip: String? = nil, vpce: String? = nil, absent: Set<String> = [], region: String? = nil,
                    tls: Bool? = nil, principal: String? = nil, time: Instant? = nil) -> RequestContext {
        RequestContext(sourceIp: ip.flatMap { IPAddress($0) }, sourceVpce: vpce, secureTransport: tls, requestedRegion: region,
                       principalArn: principal, currentTime: time, absentKeys: absent)
    }

    static let cases: [(String, String?, RequestContext, Want)] = [
        ("bedrock:InvokeModel", "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3", ctx(), .allow("Models")),
        ("BEDROCK:invokemodel", "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3", ctx(), .allow("Models")),
        ("bedrock:InvokeModel", "arn:aws:bedrock:us-east-1::foundation-model/meta.llama3", ctx(), .implicit),
        ("bedrock:InvokeModel", nil, ctx(), .conditional("Models")),
        // IpAddress, IPv4 and IPv6, key unknown
        ("bedrock-agentcore:InvokeAgentRuntime", "arn:aws:bedrock-agentcore:us-east-1:111122223333:runtime/r-1", ctx(ip: "203.0.113.7"), .allow("Runtime")),
        ("bedrock-agentcore:InvokeAgentRuntime", "arn:aws:bedrock-agentcore:us-east-1:111122223333:runtime/r-1", ctx(ip: "198.51.100.7"), .implicit),
        ("bedrock-agentcore:InvokeAgentRuntime", "arn:aws:bedrock-agentcore:us-east-1:111122223333:runtime/r-1", ctx(ip: "2001:db8:1::5"), .allow("Runtime")),
        ("bedrock-agentcore:InvokeAgentRuntime", "arn:aws:bedrock-agentcore:us-east-1:111122223333:runtime/r-1", ctx(ip: "2001:db9::5"), .implicit),
        ("bedrock-agentcore:InvokeAgentRuntime", "arn:aws:bedrock-agentcore:us-east-1:111122223333:runtime/r-1", ctx(), .conditional("Runtime")),
        ("bedrock-agentcore:InvokeAgentRuntime", "arn:aws:bedrock-agentcore:us-east-1:111122223333:runtime/r-1", ctx(absent: ["aws:SourceIp"]), .implicit),
        // NotAction
        ("s3:PutObject", "arn:aws:s3:::data/x", ctx(), .allow("AllButIam")),
        ("iam:CreateUser", "arn:aws:s3:::data/x", ctx(), .implicit),
        ("ec2:RunInstances", "arn:aws:ec2:us-east-1:1:instance/i-1", ctx(), .implicit),
        // NotResource
        ("s3:GetObject", "arn:aws:s3:::other/file", ctx(), .allow("NotSecret")),
        ("s3:GetObject", "arn:aws:s3:::data/secret/key", ctx(), .allow("AllButIam")),
        ("s3:GetObject", "arn:aws:s3:::elsewhere/secret/key", ctx(), .allow("NotSecret")),
        // Deny wins over Allow
        ("s3:DeleteObject", "arn:aws:s3:::data/x", ctx(), .deny("NoDelete")),
        // StringNotEqualsIfExists on a Deny
        ("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:us-east-1:1:secret:s", ctx(vpce: "vpce-1234"), .allow("Secrets")),
        ("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:us-east-1:1:secret:s", ctx(vpce: "vpce-9999"), .deny("VpceOnly")),
        ("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:us-east-1:1:secret:s", ctx(absent: ["aws:SourceVpce"]), .deny("VpceOnly")),  // IfExists: absent key → condition true → Deny applies
        ("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:us-east-1:1:secret:s", ctx(), .conditional("VpceOnly")),
        // StringEquals (multi-value OR) + Bool
        ("kms:Decrypt", "arn:aws:kms:eu-west-1:1:key/k", ctx(region: "eu-west-1", tls: true), .allow("Regions")),
        ("kms:Decrypt", "arn:aws:kms:ap-south-1:1:key/k", ctx(region: "ap-south-1", tls: true), .implicit),
        ("kms:Decrypt", "arn:aws:kms:eu-west-1:1:key/k", ctx(region: "eu-west-1", tls: false), .implicit),
        // ArnLike on aws:PrincipalArn, paths in role ARNs
        ("sts:AssumeRole", "arn:aws:iam::111122223333:role/service-role/X", ctx(principal: "arn:aws:iam::111122223333:role/agents/team/Runner"), .allow("Role")),
        ("sts:AssumeRole", "arn:aws:iam::111122223333:role/service-role/X", ctx(principal: "arn:aws:iam::111122223333:role/Runner"), .implicit),
        ("sts:AssumeRole", "arn:aws:iam::111122223333:role/X", ctx(principal: "arn:aws:iam::111122223333:role/agents/Runner"), .implicit),
        // Date + Null
        ("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:1:table/T", ctx(absent: ["aws:SourceVpce"], time: Instant(year: 2025, month: 6, day: 1)), .allow("Window")),
        ("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:1:table/T", ctx(absent: ["aws:SourceVpce"], time: Instant(year: 2026, month: 6, day: 1)), .implicit),
        ("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:1:table/T", ctx(vpce: "vpce-1", time: Instant(year: 2025, month: 6, day: 1)), .implicit),
    ]

    @Test(arguments: cases)
    func evaluates(_ c: (String, String?, RequestContext, Want)) throws {
        let doc = try IAMFixtures.document(Self.policy)
        let decision = Evaluator(policies: PolicySet([doc])).evaluate(action: IAMAction(c.0)!, resource: c.1, context: c.2)
        let got: Want
        switch decision {
        case .allow(let r): got = .allow(r.sid ?? "")
        case .explicitDeny(let r): got = .deny(r.sid ?? "")
        case .implicitDeny: got = .implicit
        case .conditional(let r, _): got = .conditional(r.sid ?? "")
        }
        #expect(got == c.3, "\(c.0) on \(c.1 ?? "nil"): \(decision)")
    }

    @Test(arguments: [
        ("IpAddress", "aws:SourceIp", ["10.0.0.0/8"], "10.1.2.3", ConditionResult.satisfied),
        ("NotIpAddress", "aws:SourceIp", ["10.0.0.0/8", "192.168.0.0/16"], "192.168.1.1", .notSatisfied),
        ("NotIpAddress", "aws:SourceIp", ["10.0.0.0/8"], "8.8.8.8", .satisfied),
        ("IpAddress", "aws:SourceIp", ["2001:db8::/32"], "2001:db8::1", .satisfied),
        ("IpAddress", "aws:SourceIp", ["2001:db8::/32"], "10.0.0.1", .notSatisfied),
        ("StringLike", "aws:RequestedRegion", ["us-*"], "us-west-2", .satisfied),
        ("StringEqualsIgnoreCase", "aws:RequestedRegion", ["US-WEST-2"], "us-west-2", .satisfied),
        ("StringEquals", "aws:RequestedRegion", ["US-WEST-2"], "us-west-2", .notSatisfied),
        ("ForAnyValue:StringEquals", "aws:RequestedRegion", ["a", "us-west-2"], "us-west-2", .satisfied),
        ("ForAllValues:StringEquals", "aws:RequestedRegion", ["a"], "us-west-2", .notSatisfied),
        ("NumericGreaterThan", "custom:n", ["5"], "7", .satisfied),
        ("NumericLessThanEquals", "custom:n", ["5"], "7", .notSatisfied),
        ("DateGreaterThan", "custom:d", ["2025-01-01T00:00:00Z"], "2025-06-01T12:00:00Z", .satisfied),
        ("DateLessThan", "custom:d", ["1735689600"], "2025-06-01T12:00:00Z", .notSatisfied),
        ("ArnEquals", "aws:PrincipalArn", ["arn:aws:iam::1:role/*"], "arn:aws:iam::1:role/a/b", .satisfied),
        ("ArnNotLike", "aws:PrincipalArn", ["arn:aws:iam::1:role/*"], "arn:aws:iam::2:role/a", .satisfied),
    ])
    func conditionOperators(_ c: (String, String, [String], String, ConditionResult)) {
        let clause = ConditionClause(op: ConditionOperator(c.0), key: c.1, values: c.2)
        var context = RequestContext(other: [c.1: [c.3]])
        if c.1 == "aws:SourceIp" { context = RequestContext(sourceIp: IPAddress(c.3)) }
        if c.1 == "aws:RequestedRegion" { context = RequestContext(requestedRegion: c.3) }
        if c.1 == "aws:PrincipalArn" { context = RequestContext(principalArn: c.3) }
        #expect(clause.evaluate(in: context) == c.4, "\(c.0) \(c.2) vs \(c.3)")
    }

    @Test(arguments: [
        ("StringEquals", ConditionResult.notSatisfied), ("StringNotEquals", .satisfied), ("StringEqualsIfExists", .satisfied),
        ("ForAllValues:StringEquals", .satisfied), ("ForAnyValue:StringEquals", .notSatisfied), ("IpAddressIfExists", .satisfied),
        ("NotIpAddress", .satisfied), ("IpAddress", .notSatisfied),
    ])
    func missingKeySemantics(_ c: (String, ConditionResult)) {
        let clause = ConditionClause(op: ConditionOperator(c.0), key: "aws:SourceVpce", values: ["vpce-1"])
        #expect(clause.evaluate(in: RequestContext(absentKeys: ["aws:sourcevpce"])) == c.1, "\(c.0)")
        if case .unknown = clause.evaluate(in: .unknown) {} else { Issue.record("unknown key must give unknown for \(c.0)") }
    }

    @Test func unsupportedOperatorIsConditionalNotAGuess() throws {
        let doc = try IAMFixtures.document(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringFuzzy":{"aws:RequestedRegion":"x"}}}]}"#)
        let d = Evaluator(policies: PolicySet([doc])).evaluate(action: IAMAction("s3:GetObject")!, resource: "arn:aws:s3:::b/k",
                                                              context: RequestContext(requestedRegion: "x"))
        guard case .conditional = d else { Issue.record("got \(d)"); return }
    }

    @Test func contextFromRecord() {
        var r = CloudTrailRecord(eventSource: "s3.amazonaws.com", eventName: "GetObject",
                                 principal: Principal(type: "AssumedRole", arn: "arn:aws:sts::1:assumed-role/R/s",
                                                      sessionIssuerArn: "arn:aws:iam::1:role/agents/R"))
        r.sourceAddress = .ip(IPAddress("203.0.113.9")!)
        r.awsRegion = "us-east-1"
        let c = RequestContext(record: r)
        #expect(c.values(for: "aws:SourceIp") == ["203.0.113.9"])
        #expect(c.values(for: "aws:PrincipalArn") == ["arn:aws:iam::1:role/agents/R"])
        #expect(c.values(for: "aws:SourceVpce") == [])
        #expect(c.values(for: "aws:RequestedRegion") == ["us-east-1"])
        #expect(c.values(for: "aws:SecureTransport") == nil)
    }

    @Test func grantedActionsExpandAndSubtractDenies() throws {
        let doc = try IAMFixtures.document("""
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": ["bedrock:Invoke*", "s3:*Object", "bedrock-agentcore:InvokeAgent"], "Resource": "*"},
          {"Effect": "Deny", "Action": "bedrock:InvokeAgent", "Resource": "*"},
          {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::keep/*"},
          {"Effect": "Deny", "Action": "bedrock:InvokeFlow", "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}
        ]}
        """)
        let grants = Evaluator.grantedActions(PolicySet([doc]))
        let invoke = ActionCatalogue.shared.expand(pattern: "bedrock:Invoke*")
        let objects = ActionCatalogue.shared.expand(pattern: "s3:*Object")
        #expect(invoke.count == 14)
        #expect(Set(grants.actions) == Set(invoke + objects).subtracting([IAMAction("bedrock:InvokeAgent")!]))
        #expect(grants.deniedActions == [IAMAction("bedrock:InvokeAgent")!])
        #expect(grants.unknownActions == [IAMAction("bedrock-agentcore:InvokeAgent")!])
        #expect(grants[IAMAction("s3:DeleteObject")!]?.partialDenies.count == 1)
        #expect(grants[IAMAction("bedrock:InvokeFlow")!]?.partialDenies.count == 1)
        #expect(grants[IAMAction("bedrock:InvokeModel")!]?.resourcePatterns == ["*"])
        #expect(Evaluator.trustedSourceCIDRs(PolicySet([doc])).map(\.description) == ["10.0.0.0/8"])
    }

    @Test func notActionGrantsEverythingElse() throws {
        let doc = try IAMFixtures.document(#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":["iam:*","bedrock*:*"],"Resource":"*"}}"#)
        let grants = Evaluator.grantedActions(PolicySet([doc]))
        let c = ActionCatalogue.shared
        let excluded = c.expand(pattern: "iam:*").count + c.expand(pattern: "bedrock*:*").count
        #expect(grants.count == c.actionCount - excluded)
        #expect(!grants.contains(IAMAction("iam:PassRole")!))
        #expect(grants.contains(IAMAction("s3:GetObject")!))
    }

    /// The same `NotAction` statement in two documents (a role's file and the account's authorization details):
    /// every grant lists both statements and both resource lists, as one extended list per statement, shared by the
    /// ~22,000 grants (was one new array per grant); statements that reach only some grants extend only theirs.
    @Test func repeatedStatementsExtendSharedLists() throws {
        let json = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["s3:DeleteBucket"],"Resource":["arn:aws:s3:::kb","arn:aws:s3:::kb/*"]}]}"#
        let first = try IAMFixtures.document(json, name: "role.json")
        let second = try IAMFixtures.document(json, name: "authorization-details.json")
        let third = try IAMFixtures.document(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:DeleteBucket"],"Resource":"arn:aws:s3:::other/*"}]}"#, name: "extra.json")
        let grants = Evaluator.grantedActions(PolicySet([first, second, third]))
        let c = ActionCatalogue.shared
        #expect(grants.count == c.actionCount)
        func storage<T>(_ a: [T]) -> UnsafePointer<T>? { a.withUnsafeBufferPointer { $0.baseAddress } }
        var statementLists = Set<UnsafePointer<StatementRef>?>(), patternLists = Set<UnsafePointer<String>?>()
        for (action, grant) in grants.grants {
            let expected: (statements: Int, patterns: [String])
            switch action.description.lowercased() {
            case "s3:getobject": expected = (3, ["arn:aws:s3:::kb", "arn:aws:s3:::kb/*", "arn:aws:s3:::other/*"])
            case "s3:deletebucket": expected = (1, ["arn:aws:s3:::other/*"])
            default: expected = (2, ["arn:aws:s3:::kb", "arn:aws:s3:::kb/*"])
            }
            #expect(grant.statements.count == expected.statements, "\(action)")
            #expect(Set(grant.statements).count == grant.statements.count, "\(action)")
            #expect(grant.resourcePatterns == expected.patterns, "\(action)")
            if expected.statements == 2 {
                statementLists.insert(storage(grant.statements))
                patternLists.insert(storage(grant.resourcePatterns))
            }
        }
        #expect(statementLists.count == 1)
        #expect(patternLists.count == 1)
    }

    /// A shared extension gives each distinct stored list its own result, and the same result for the same list.
    @Test func sharedExtensionTellsListsApart() {
        var ext = SharedExtension<Int>()
        let a = [1, 2], b = [1, 2]  // equal contents, separate storage
        let a1 = ext.extend(a) { $0.append(3) }
        let b1 = ext.extend(b) { $0.append(4) }
        let a2 = ext.extend(a) { $0.append(99) }  // same storage as `a`: the first result, not a new change
        #expect(a1 == [1, 2, 3])
        #expect(b1 == [1, 2, 4])
        #expect(a2 == [1, 2, 3])
        #expect(a1.withUnsafeBufferPointer { $0.baseAddress } == a2.withUnsafeBufferPointer { $0.baseAddress })
        // Beyond the limit, lists are still changed correctly (each on its own).
        var many = SharedExtension<Int>()
        let lists = (0..<(SharedExtension<Int>.limit + 8)).map { [$0] }
        for l in lists { #expect(many.extend(l) { $0.append(-1) } == [l[0], -1]) }
    }

    /// A principal's policy documents (each a `Statement` array) with statements repeated within or across
    /// documents, and how many statements are left once the repeats are.
    static let repeatCases: [(String, [String], Int)] = [
        ("a NotAction document twice, plus another",
         [#"[{"Effect":"Allow","NotAction":["s3:DeleteBucket"],"Resource":["arn:aws:s3:::kb","arn:aws:s3:::kb/*"]}]"#,
          #"[{"Effect":"Allow","NotAction":["s3:DeleteBucket"],"Resource":["arn:aws:s3:::kb","arn:aws:s3:::kb/*"]}]"#,
          #"[{"Effect":"Allow","Action":["s3:GetObject","s3:DeleteBucket"],"Resource":"arn:aws:s3:::other/*"}]"#], 2),
        ("the same statement under another Sid in one document",
         [#"[{"Sid":"A","Effect":"Allow","Action":"kms:Decrypt","Resource":"*"},{"Sid":"B","Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]"#], 1),
        ("other resources, NotResource, a condition, a principal, the other effect: all kept",
         [#"[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::a/*"},{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]"#,
          #"[{"Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::a/*"},{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::a/*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]"#,
          #"[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::a/*"},{"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::a/*"}]"#], 6),
        ("a Deny repeated, the Allow it cancels once",
         [#"[{"Effect":"Allow","Action":["s3:*"],"Resource":"*"},{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]"#,
          #"[{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"},{"Effect":"Deny","Action":["s3:PutObject"],"Resource":"arn:aws:s3:::kb/*"}]"#], 3),
        ("actions in another order are another statement (kept; the grants are the same either way)",
         [#"[{"Effect":"Allow","Action":["sts:AssumeRole","logs:PutLogEvents"],"Resource":"*"},{"Effect":"Allow","Action":["logs:PutLogEvents","sts:AssumeRole"],"Resource":"*"}]"#], 2),
    ]

    /// Statements repeated in a principal's policy set are left out when its grants are derived: the repeats are
    /// gone (whatever their Sid, index or document), anything differing in effect, actions, resources, conditions
    /// or principal stays, and the effective grants are those of the whole set.
    @Test(arguments: repeatCases)
    func repeatedStatementsLeftOutOfTheDerivation(_ name: String, _ documents: [String], _ left: Int) throws {
        let docs = try documents.enumerated().map { i, statements in
            try IAMFixtures.document(#"{"Version":"2012-10-17","Statement":\#(statements)}"#, name: "doc\(i).json")
        }
        let whole = PolicySet(docs)
        let distinct = whole.withoutRepeatedStatements
        #expect(distinct.statements.count == left, "\(name)")
        #expect(distinct.documents.map(\.name) == whole.documents.map(\.name), "\(name): documents kept, in order")
        let all = EffectiveGrants(whole), fewer = EffectiveGrants(distinct)
        #expect(fewer.actions == all.actions, "\(name)")
        #expect(fewer.denied == all.denied, "\(name)")
        let info = PrincipalPolicyInfo(principalArn: "arn:aws:iam::1:role/R",
                                       derivingFrom: PrincipalPolicies(kind: .role, name: "R", policies: whole))
        info.deriveGrants()
        #expect(info.effective?.actions == all.actions, "\(name)")
        #expect(info.effective?.denied == all.denied, "\(name)")
        #expect(info.policies?.policies.statements.count == whole.statements.count, "\(name): the policies themselves unchanged")
    }

    /// Derived grants keep only the effective grants; the expanded set is made again on request, equal to the
    /// evaluator's.
    @Test func derivedPrincipalGrantsRemadeOnRequest() throws {
        let doc = try IAMFixtures.document(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","bedrock:InvokeModel"],"Resource":"*"}]}"#)
        let policies = PrincipalPolicies(kind: .role, name: "R", policies: PolicySet([doc]))
        let info = PrincipalPolicyInfo(principalArn: "arn:aws:iam::1:role/R", derivingFrom: policies)
        info.deriveGrants()
        let expected = Evaluator.grantedActions(PolicySet([doc]))
        #expect(info.grants?.actions == expected.actions)
        #expect(info.effective.map { Set($0.actions.keys) } == Set(expected.actions))
        #expect(info.grantedServices == ["s3", "bedrock"])
    }

    /// The ordering hint for deriving grants in parallel: a `NotAction` or `*` principal weighs more than any number
    /// of ordinary ones, a derived principal weighs nothing; and deriving through `AnalysisContext.deriveGrants`
    /// (costliest first) at 1–4 jobs gives each principal the grants it derives alone.
    @Test func costliestPrincipalsDerivedFirstWithTheSameGrants() throws {
        func info(_ name: String, _ statement: String) throws -> PrincipalPolicyInfo {
            let doc = try IAMFixtures.document(#"{"Version":"2012-10-17","Statement":[\#(statement)]}"#)
            return PrincipalPolicyInfo(principalArn: "arn:aws:iam::1:role/\(name)",
                                       derivingFrom: PrincipalPolicies(kind: .role, name: name, policies: PolicySet([doc])))
        }
        let notAction = #"{"Effect":"Allow","NotAction":["iam:*"],"Resource":"*"}"#
        let star = #"{"Effect":"Allow","Action":"*","Resource":"*"}"#
        let service = #"{"Effect":"Allow","Action":["s3:*","kms:Decrypt"],"Resource":"*"}"#
        let plain = #"{"Effect":"Allow","Action":["logs:PutLogEvents","s3:GetObject"],"Resource":"*"}"#
        for jobs in 1...4 {
            let infos = try [info("Plain", plain), info("NotAction", notAction), info("Service", service),
                             info("Star", star), info("Plain2", plain)]
            #expect(infos[1].derivationCost > infos[2].derivationCost && infos[3].derivationCost > infos[2].derivationCost)
            #expect(infos[2].derivationCost > infos[0].derivationCost && infos[0].derivationCost > 0)
            let context = AnalysisContext(policies: Dictionary(uniqueKeysWithValues: infos.map { ($0.principalArn, $0) }))
            context.deriveGrants(jobs: jobs)
            for i in infos {
                #expect(i.derivationCost == 0, "derived, so nothing left to order")
                let alone = try info("Alone", [plain, notAction, service, star, plain][infos.firstIndex { $0.principalArn == i.principalArn }!])
                alone.deriveGrants()
                #expect(i.grantedActions == alone.grantedActions, "\(i.principalArn) at \(jobs) jobs")
            }
        }
        // Results of the map come back in input order whatever the costs.
        let items = Array(0..<50)
        for jobs in 1...4 {
            #expect(ParallelMap.map(items, jobs: jobs, cost: { ($0 * 7919) % 13 }) { $0 * 2 } == items.map { $0 * 2 })
        }
    }

    @Test func trustStatementsGrantNothing() throws {
        let doc = try PolicyLoader.loadDocument(file: IAMFixtures.seed.appendingPathComponent("03-create-agent-role-trust.json").path)
        #expect(Evaluator.grantedActions(PolicySet([doc])).count == 0)
        #expect(Evaluator(policies: PolicySet([doc])).evaluate(action: IAMAction("sts:AssumeRole")!, resource: "*", context: .unknown) == .implicitDeny)
    }
}
