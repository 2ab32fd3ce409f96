import Foundation
import Testing
@testable import AgentTrail

/// The review's per-record policy path (`Evaluator.outcome`, `covering`, `ResourceApplicability.decide` with a
/// covering, the byte-level pattern checks) against `evaluate` and against the Foundation-based code it replaced,
/// kept here as the reference.
@Suite("IAM evaluation: outcomes and the byte-level pattern checks")
struct EvaluatorOutcomeTests {
    // MARK: - Reference implementations (the code before the twenty-first round)

    /// `Evaluator.resourceMatches` as it was: Foundation searches and replacements for every pattern.
    static func referenceResourceMatches(_ spec: ResourceSpec, _ resource: String?) -> ConditionResult {
        let patterns: [String]
        let negated: Bool
        switch spec {
        case .unspecified: return .notSatisfied
        case .resources(let p): patterns = p; negated = false
        case .notResources(let p): patterns = p; negated = true
        }
        guard let resource else {
            if !negated && patterns.contains("*") { return .satisfied }
            if negated && patterns.contains("*") { return .notSatisfied }
            return .unknown("the resource is not known and the statement names specific resources")
        }
        var variable = false
        var hit = false
        for p in patterns {
            if p.contains("${") && !p.contains("${*}") && !p.contains("${?}") && !p.contains("${$}") { variable = true; continue }
            let literal = p.replacingOccurrences(of: "${*}", with: "\u{1}").replacingOccurrences(of: "${?}", with: "\u{2}")
                .replacingOccurrences(of: "${$}", with: "$")
            if literal.contains("\u{1}") || literal.contains("\u{2}") {
                let exact = literal.replacingOccurrences(of: "\u{1}", with: "*").replacingOccurrences(of: "\u{2}", with: "?")
                if exact == resource { hit = true; break }
                continue
            }
            if Glob(literal).matches(resource) { hit = true; break }
        }
        if !hit && variable { return .unknown("a resource uses a policy variable") }
        return (hit != negated) ? .satisfied : .notSatisfied
    }

    /// `ActionCatalogue.action(_:matches:)` as it was: trimmed by `Character`, matched by a `Glob` made per call.
    static func referenceActionMatches(_ action: IAMAction, _ pattern: String) -> Bool {
        let p = pattern.trimmingASCIIWhitespace
        if p == "*" { return true }
        return Glob(String(p), caseInsensitive: true).matches(action.description)
    }

    /// `Principal.sessionName` as it was: a Foundation search and a `Character` split.
    static func referenceSessionName(_ arn: String?) -> String? {
        guard let arn, arn.contains(":assumed-role/") else { return nil }
        let parts = arn.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count >= 3 ? String(parts[parts.count - 1]) : nil
    }

    /// A wildcard matcher written apart from `Glob`: recursion over UTF-8 bytes (`*` any run, `?` one byte).
    static func referenceGlob(_ pattern: [UInt8], _ text: [UInt8], caseInsensitive: Bool) -> Bool {
        func fold(_ b: UInt8) -> UInt8 { caseInsensitive && b >= 65 && b <= 90 ? b + 32 : b }
        var memo: [Int: Bool] = [:]
        func go(_ i: Int, _ j: Int) -> Bool {
            let key = i * (text.count + 1) + j
            if let m = memo[key] { return m }
            let r: Bool
            if i == pattern.count { r = j == text.count } else if pattern[i] == UInt8(ascii: "*") {
                r = go(i + 1, j) || (j < text.count && go(i, j + 1))
            } else if j < text.count && (pattern[i] == UInt8(ascii: "?") || fold(pattern[i]) == fold(text[j])) {
                r = go(i + 1, j + 1)
            } else { r = false }
            memo[key] = r
            return r
        }
        return go(0, 0)
    }

    // MARK: - Seeded generation

    struct Rand {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        mutating func pick<T>(_ xs: [T]) -> T { xs[Int(next() % UInt64(xs.count))] }
        mutating func chance(_ percent: UInt64) -> Bool { next() % 100 < percent }
    }

    static let resourcePieces = ["arn:aws:s3:::data/", "arn:aws:s3:::data/secret/", "arn:aws:s3:::other", "*", "?",
                                 "${aws:username}", "${*}", "${?}", "${$}", "\u{1}", "\u{2}", "key", "Key", "é", "$", "/",
                                 "arn:aws:kms:us-east-1:111122223333:key/", "arn:aws:dynamodb:*:*:table/", "T"]
    static let resources: [String?] = [nil, "*", "arn:aws:s3:::data/key", "arn:aws:s3:::data/secret/key", "arn:aws:s3:::other",
                                       "arn:aws:s3:::data/${aws:username}", "arn:aws:s3:::data/*", "arn:aws:s3:::data/?",
                                       "arn:aws:s3:::data/\u{1}", "arn:aws:s3:::data/$", "arn:aws:s3:::data/é", "arn:aws:s3:::data/Key",
                                       "arn:aws:kms:us-east-1:111122223333:key/k1", "arn:aws:dynamodb:us-east-1:1:table/T"]
    static let actionPatterns = ["s3:*", "s3:Get*", "s3:GetObject", "S3:getobject", "kms:Decrypt", "*", " s3:Get* ", "\ts3:*",
                                 "s3:*\r\n", "\r\n*", "s3:?etObject", "dynamodb:*Item", "iam:*", "", " ", "s3:Get*\u{301}",
                                 " \u{301}s3:*", "*:*", "s?:*"]
    static let actions = ["s3:GetObject", "s3:PutObject", "S3:DeleteObject", "kms:Decrypt", "dynamodb:GetItem", "iam:CreateUser"]
        .map { IAMAction($0)! }

    static func randomPattern(_ r: inout Rand) -> String {
        (0..<Int(1 + r.next() % 4)).map { _ in r.pick(resourcePieces) }.joined()
    }

    static func randomPolicy(_ r: inout Rand) -> PolicySet {
        var documents: [PolicyDocument] = []
        for d in 0..<Int(1 + r.next() % 3) {
            var statements: [Statement] = []
            for i in 0..<Int(1 + r.next() % 5) {
                let actionPatterns = (0..<Int(1 + r.next() % 2)).map { _ in r.pick(Self.actionPatterns) }
                let resourcePatterns = (0..<Int(1 + r.next() % 3)).map { _ in randomPattern(&r) }
                var conditions: [ConditionClause] = []
                if r.chance(25) {
                    conditions.append(ConditionClause(op: ConditionOperator(r.pick(["StringEquals", "IpAddress", "StringEqualsIfExists"])),
                                                      key: r.pick(["aws:RequestedRegion", "aws:SourceIp", "aws:SourceVpce"]),
                                                      values: [r.pick(["us-east-1", "203.0.113.0/24", "vpce-1"])]))
                }
                statements.append(Statement(sid: "S\(d)-\(i)", effect: r.chance(30) ? .deny : .allow,
                                            action: r.chance(20) ? .notActions(actionPatterns) : .actions(actionPatterns),
                                            resource: r.chance(15) ? .notResources(resourcePatterns) : .resources(resourcePatterns),
                                            conditions: conditions, hasPrincipal: r.chance(5), index: i))
            }
            documents.append(PolicyDocument(name: "doc\(d).json", statements: statements))
        }
        return PolicySet(documents)
    }

    static let contexts = [RequestContext(), RequestContext(sourceIp: IPAddress("203.0.113.7"), requestedRegion: "us-east-1"),
                           RequestContext(sourceVpce: "vpce-2", requestedRegion: "eu-west-1"),
                           RequestContext(absentKeys: ["aws:sourcevpce"])]

    static func kind(_ d: Decision) -> ResourceApplicability.Outcome {
        switch d {
        case .allow: return .allow
        case .explicitDeny: return .explicitDeny
        case .implicitDeny: return .implicitDeny
        case .conditional: return .conditional
        }
    }

    // MARK: - Tests

    /// `outcome`, and `outcome(of: covering(action))`, give `evaluate`'s decision, over seeded policies of every shape.
    @Test(arguments: 0..<12)
    func outcomeAndCoveringAgreeWithEvaluate(seed: Int) {
        var r = Rand(state: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1)
        var decided = Set<ResourceApplicability.Outcome>()
        for _ in 0..<20 {
            let evaluator = Evaluator(policies: Self.randomPolicy(&r))
            for action in Self.actions {
                let covering = evaluator.covering(action)
                for resource in Self.resources {
                    for context in Self.contexts {
                        let want = Self.kind(evaluator.evaluate(action: action, resource: resource, context: context))
                        decided.insert(want)
                        #expect(evaluator.outcome(action: action, resource: resource, context: context) == want)
                        #expect(evaluator.outcome(of: covering, resource: resource, context: context) == want)
                    }
                }
                let arns = Self.resources.compactMap { $0 }
                for context in Self.contexts {
                    #expect(ResourceApplicability.decide(evaluator, action: action, resources: arns, context: context)
                            == ResourceApplicability.decide(evaluator, action: action, resources: arns, context: context, covering: covering))
                }
            }
        }
        #expect(decided.count == 4, "the seeded policies reach every kind of decision: \(decided)")
    }

    /// The pattern test on bytes gives what the Foundation replacements gave, for patterns with and without policy
    /// variables, escapes, the escapes' stand-in control characters, wildcards and non-ASCII text.
    @Test(arguments: 0..<8)
    func resourceMatchesEqualsTheReference(seed: Int) {
        var r = Rand(state: UInt64(seed) &+ 77)
        for _ in 0..<400 {
            let patterns = (0..<Int(1 + r.next() % 3)).map { _ in Self.randomPattern(&r) }
            for spec in [ResourceSpec.resources(patterns), .notResources(patterns)] {
                for resource in Self.resources {
                    #expect(Evaluator.resourceMatches(spec, resource) == Self.referenceResourceMatches(spec, resource),
                            "\(spec) on \(resource ?? "nil")")
                }
            }
        }
    }

    /// `Glob.matches(_:_:caseInsensitive:)` on bytes in place agrees with a `Glob` value and with a matcher written apart.
    @Test(arguments: [false, true])
    func oneOffGlobMatchesAgree(caseInsensitive: Bool) {
        var r = Rand(state: caseInsensitive ? 5 : 6)
        let pieces = ["a", "A", "b", "*", "?", ":", "é", "s3", "S3", "Get", "get", "/", "**"]
        var matched = 0
        for _ in 0..<3000 {
            let pattern = (0..<Int(r.next() % 5)).map { _ in r.pick(pieces) }.joined()
            let text = (0..<Int(r.next() % 6)).map { _ in r.pick(pieces.filter { $0 != "*" && $0 != "**" && $0 != "?" }) }.joined()
            let want = Self.referenceGlob(Array(pattern.utf8), Array(text.utf8), caseInsensitive: caseInsensitive)
            #expect(Glob.matches(pattern, text, caseInsensitive: caseInsensitive) == want, "\(pattern) ~ \(text)")
            #expect(Glob(pattern, caseInsensitive: caseInsensitive).matches(text) == want, "\(pattern) ~ \(text)")
            if want { matched += 1 }
        }
        #expect(matched > 100)
    }

    /// Action patterns with and without surrounding white space (tabs, CRLF, a combining mark after a space) match as
    /// the `Character`-trimming code did.
    @Test(arguments: actionPatterns)
    func actionMatchingEqualsTheReference(pattern: String) {
        for action in Self.actions {
            #expect(ActionCatalogue.action(action, matches: pattern) == Self.referenceActionMatches(action, pattern),
                    "\(action) ~ \(pattern.debugDescription)")
        }
    }

    /// Session names from ASCII ARNs on bytes, and from any other as before.
    @Test(arguments: [
        "arn:aws:sts::111122223333:assumed-role/Agent/session-1", "arn:aws:sts::111122223333:assumed-role/path/Agent/s",
        "arn:aws:sts::111122223333:assumed-role/Agent", "arn:aws:sts::111122223333:assumed-role/Agent/",
        "arn:aws:iam::111122223333:role/Agent/x", "arn:aws:sts::111122223333:assumed-role//", "assumed-role/a/b",
        ":assumed-role/a/b", "arn:aws:sts::1:assumed-role/Agént/sessión", "arn:aws:sts::1:assumed-rolé/a/b",
        "arn:aws:sts::1:Assumed-Role/a/b", "", "arn:aws:sts::1:assumed-role:assumed-role/a/b/c", "a/b/c:assumed-role/",
    ])
    func sessionNameEqualsTheReference(arn: String) {
        #expect(Principal(arn: arn).sessionName == Self.referenceSessionName(arn), "\(arn)")
    }

    /// The resource-type memo, emptied when full, gives the same applicable resources as no memo, over more distinct
    /// ARNs than it holds.
    @Test func typeMemoPastItsLimitChangesNothing() {
        let catalogue = ActionCatalogue.shared
        let action = IAMAction("s3:GetObject")!
        var cache = ResourceApplicability.TypeCache()
        var kept = 0
        for i in 0..<(ResourceApplicability.TypeCache.limit + 500) {
            let arns = ["arn:aws:s3:::bucket-\(i % 7)/key-\(i)", "arn:aws:s3:::bucket-\(i % 7)", "arn:aws:kms:us-east-1:1:key/k\(i)"]
            let cached = ResourceApplicability.applicable(arns, to: action, catalogue: catalogue, cache: &cache)
            #expect(cached == ResourceApplicability.applicable(arns, to: action, catalogue: catalogue))
            kept += cached.count
            #expect(cache.count <= ResourceApplicability.TypeCache.limit && cache.count == cache.names.values.reduce(0) { $0 + $1.count })
        }
        #expect(kept == ResourceApplicability.TypeCache.limit + 500, "one object ARN kept per call")
    }
}
