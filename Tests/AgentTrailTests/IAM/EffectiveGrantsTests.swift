import AgentTrailTestSupport
import Foundation
import Testing
@testable import AgentTrail

/// `EffectiveGrants` finds each action's resource patterns once per list of applying Allow statements; the decision
/// per action it replaced (a set of patterns built, hashed and looked up for every granted action) is kept here as the
/// oracle, and both must agree on seeded random policies drawn from statements that exercise every branch: `NotAction`,
/// `NotResource`, `*`, resource-typed ARNs that do and do not fit an action, conditional Allows,
/// Denies that cover every pattern, some of them, or only under `NotResource`, and repeated statements.
@Suite struct EffectiveGrantsTests {
    static let statements = [
        #"{"Effect":"Allow","NotAction":["iam:*","organizations:*"],"Resource":"*"}"#,
        #"{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:ListBucket"],"Resource":["arn:aws:s3:::b/*"]}"#,
        #"{"Effect":"Allow","Action":["s3:*"],"Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]}"#,
        #"{"Effect":"Allow","Action":"s3:Get*","NotResource":["arn:aws:s3:::secret/*"]}"#,
        #"{"Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:Query"],"Resource":["arn:aws:dynamodb:us-east-1:1:table/T"]}"#,
        #"{"Effect":"Allow","Action":"bedrock:Invoke*","Resource":["arn:aws:bedrock:*::foundation-model/*"]}"#,
        #"{"Effect":"Allow","Action":["kms:Decrypt","kms:GenerateDataKey"],"Resource":["arn:aws:kms:us-east-1:1:key/k"]}"#,
        #"{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}"#,
        #"{"Effect":"Allow","NotAction":"s3:*","Resource":["arn:aws:logs:*:*:log-group:*"]}"#,
        #"{"Effect":"Deny","Action":"s3:PutObject","Resource":["arn:aws:s3:::b/*"]}"#,
        #"{"Effect":"Deny","Action":"s3:*","Resource":"*"}"#,
        #"{"Effect":"Deny","NotAction":["s3:GetObject"],"Resource":["arn:aws:s3:::b/private/*"]}"#,
        #"{"Effect":"Deny","Action":"dynamodb:*","NotResource":["arn:aws:dynamodb:us-east-1:1:table/T"]}"#,
        #"{"Effect":"Deny","Action":"ec2:DescribeInstances","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}"#,
        #"{"Effect":"Allow","Action":["sts:AssumeRole","iam:PassRole"],"Resource":["arn:aws:iam::1:role/R"]}"#,
    ]

    /// The previous derivation, per action: the oracle.
    static func reference(_ policies: PolicySet, catalogue: ActionCatalogue = .shared) -> ([IAMAction: [String]], [IAMAction]) {
        let base = Evaluator.grantedActions(policies, catalogue: catalogue)
        let statements = policies.statements.map(\.statement).filter { !$0.hasPrincipal && $0.resource != .unspecified }
        let allows = statements.filter { $0.effect == .allow }
        let denies = statements.filter { $0.effect == .deny && $0.isUnconditional }
        var out: [IAMAction: [String]] = [:]
        var denied = Set(base.deniedActions)
        func listed(_ spec: ActionSpec) -> Set<IAMAction> {
            Set(spec.patterns.flatMap { catalogue.expandUnordered(pattern: $0) })
                .union(spec.patterns.compactMap { Glob.hasWildcard($0) ? nil : IAMAction($0) })
        }
        let allowSets = allows.map { listed($0.action) }, denySets = denies.map { listed($0.action) }
        let applicability = allows.map { ResourceApplicability.Resolved($0.resource) }
        func matching(_ action: IAMAction, _ statements: [Statement], _ sets: [Set<IAMAction>]) -> [Int] {
            statements.indices.filter { i in
                if case .notActions = statements[i].action { return !sets[i].contains(action) }
                return sets[i].contains(action)
            }
        }
        for action in base.grants.keys {
            var patterns = Set<String>()
            for i in matching(action, allows, allowSets) where applicability[i].applies(to: action) {
                switch allows[i].resource {
                case .resources(let r): patterns.formUnion(r)
                case .notResources(let r): patterns.formUnion(r.map { "NOT " + $0 })
                case .unspecified: break
                }
            }
            guard !patterns.isEmpty else { continue }
            let denyPatterns = matching(action, denies, denySets).map { denies[$0] }.flatMap { st -> [String] in
                if case .resources(let r) = st.resource { return r }
                return []
            }
            let covered = patterns.allSatisfy { p in
                denyPatterns.contains { d in Glob.matchesAsterisk(d) || (!p.hasPrefix("NOT ") && Glob.matches(d, p)) }
            }
            if covered && !denyPatterns.isEmpty { denied.insert(action); continue }
            out[action] = patterns.sorted()
        }
        return (out, denied.sorted())
    }

    @Test func randomPoliciesAgreeWithThePerActionDerivation() throws {
        var rng = SplitMix(0x6566_6665_6374)
        var sawDenied = false, sawNot = false, splitRounds = 0
        for round in 0..<16 {
            // (Two documents of 1–5 statements each, repeats allowed; every fourth round without the NotAction Allow,
            // so that smaller grant sets are covered too.)
            let pool = round % 4 == 3 ? Array(Self.statements.dropFirst()) : Self.statements
            let docs = try (0..<2).map { d in
                let picked = (0..<Int.random(in: 1...5, using: &rng)).map { _ in pool.randomElement(using: &rng)! }
                return try IAMFixtures.document(#"{"Version":"2012-10-17","Statement":[\#(picked.joined(separator: ","))]}"#,
                                                name: "r\(round)-\(d).json")
            }
            let policies = PolicySet(docs)
            let base = Evaluator.grantedActions(policies)
            let got = EffectiveGrants(policies, base: base)
            let (actions, denied) = Self.reference(policies)
            let same = got.actions == actions && got.denied == denied
            #expect(same, "round \(round): \(got.actions.count) vs \(actions.count) actions, \(got.denied.count) vs \(denied.count) denied")
            // Decided in two halves on two threads (a base this large is split): the same grants.
            let split = EffectiveGrants(policies, base: base, jobs: 2)
            let sameSplit = split.actions == got.actions && split.denied == got.denied
            #expect(sameSplit, "round \(round) in two halves")
            if base.grants.count >= 4_096 { splitRounds += 1 }
            sawDenied = sawDenied || !denied.isEmpty
            sawNot = sawNot || actions.values.contains { $0.contains { $0.hasPrefix("NOT ") } }
        }
        #expect(sawDenied && sawNot, "the rounds include denied actions and NotResource grants")
        #expect(splitRounds >= 4, "\(splitRounds) rounds large enough to be split")
    }

    /// Deny statements of every shape the keys-only derivation treats apart: patterns with a plain service prefix
    /// (only that service's actions are tested), several services, a wildcard or `?` in the service part, `*`,
    /// `NotAction`, mixed case, an unknown service, and Denies that remove nothing (conditional, or not on `*`).
    static let denies = [
        #"{"Effect":"Deny","Action":["s3:Delete*","s3:PutBucketPolicy"],"Resource":"*"}"#,
        #"{"Effect":"Deny","Action":["IAM:Create*","KMS:schedule*","sts:AssumeRole"],"Resource":["*"]}"#,
        #"{"Effect":"Deny","Action":["ec2:*","logs:Delete*"],"Resource":["arn:aws:s3:::b","*"]}"#,
        #"{"Effect":"Deny","Action":"s?:Get*","Resource":"*"}"#,
        #"{"Effect":"Deny","Action":"*:List*","Resource":"*"}"#,
        #"{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#,
        #"{"Effect":"Deny","NotAction":["s3:*","dynamodb:*","bedrock:*"],"Resource":"*"}"#,
        #"{"Effect":"Deny","Action":["nosuchservice:*","bedrock:InvokeModel"],"Resource":"*"}"#,
        #"{"Effect":"Deny","Action":"dynamodb:*","Resource":["arn:aws:dynamodb:us-east-1:1:table/T"]}"#,
    ]

    /// `Evaluator.grantedActionKeys` (what a principal's derivation uses) gives `grantedActions`' keys and denied
    /// actions for seeded random policies mixing the Allows above with Denies of every shape; and `EffectiveGrants`
    /// made from it equals the one made from the full grant set.
    @Test func grantedActionKeysAreTheGrantSetsActions() throws {
        var rng = SplitMix(0x6b65_7973)
        var removed = 0
        for round in 0..<24 {
            let allows = (0..<Int.random(in: 1...4, using: &rng)).map { _ in Self.statements.randomElement(using: &rng)! }
            let denies = (0..<Int.random(in: 0...3, using: &rng)).map { _ in Self.denies.randomElement(using: &rng)! }
            let doc = try IAMFixtures.document(#"{"Version":"2012-10-17","Statement":[\#((allows + denies).shuffled(using: &rng).joined(separator: ","))]}"#,
                                               name: "k\(round).json")
            let policies = PolicySet([doc])
            let full = Evaluator.grantedActions(policies)
            let keys = Evaluator.grantedActionKeys(policies)
            #expect(Set(keys.granted) == Set(full.grants.keys), "round \(round): granted")
            #expect(keys.granted.count == full.grants.count, "round \(round): no action twice")
            #expect(keys.denied == full.deniedActions, "round \(round): denied")
            removed += keys.denied.count
            let fromKeys = EffectiveGrants(policies, granted: keys.granted, denied: keys.denied, catalogue: .shared, jobs: 1)
            let fromFull = EffectiveGrants(policies, base: full)
            #expect(fromKeys.actions == fromFull.actions && fromKeys.denied == fromFull.denied, "round \(round): effective")
        }
        #expect(removed > 100, "the Denies removed actions (\(removed))")
    }
}
