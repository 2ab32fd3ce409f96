import Foundation
import Synchronization
import Testing
@testable import AgentTrail

/// The scope rule is written once (`AnalysisScope.wants(_: inout some ScopeFacts)`) and read two ways: over decoded
/// strings and, in a scan, over raw bytes with per-worker memo tables. Both must give the same answer for every
/// record — with and without principal patterns (policies, config), on first and repeated occurrences of a value.
@Suite struct ScopeRuleTests {
    static func record(source: String = "s3.amazonaws.com", identity: String, error: String? = nil) -> String {
        let err = error.map { #","errorCode":"\#($0)""# } ?? ""
        return #"{"eventVersion":"1.08","eventSource":"\#(source)","eventName":"GetObject","eventTime":"2025-07-01T00:00:00Z","userIdentity":\#(identity)\#(err)}"#
    }

    static func role(_ issuer: String, invokedBy: String? = nil, arnName: String = "s") -> String {
        let via = invokedBy.map { #","invokedBy":"\#($0)""# } ?? ""
        return #"{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/\#(arnName)","sessionContext":{"sessionIssuer":{"arn":\#(issuer)}}\#(via)}"#
    }

    /// Identities and errors covering every branch of the rule, each twice (first sight and memo hit).
    static let records: [String] = {
        let ids = [
            #"{"type":"Root","arn":"arn:aws:iam::111122223333:root"}"#,
            #"{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice"}"#,
            #"{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/bob"}"#,
            role(#""arn:aws:iam::111122223333:role/AgentCoreRuntime-support-bot""#),
            role(#""arn:aws:iam::111122223333:role/AgentCoreRuntime-support-bot""#, invokedBy: "lambda.amazonaws.com"),
            role(#""arn:aws:iam::111122223333:role/AgentCoreRuntime-support-bot""#, invokedBy: "bedrock-agentcore.amazonaws.com"),
            role(#""arn:aws:iam::111122223333:role/aws-service-role/ops.apigateway.amazonaws.com/AWSServiceRoleForAPIGateway""#),
            role(#""arn:aws:iam::111122223333:role/ci-deployer""#, invokedBy: "cloudformation.amazonaws.com"),
            role(#""arn:aws:iam::111122223333:role/other""#, invokedBy: "ecs-tasks.amazonaws.com"),
            role("42", invokedBy: "ecs-tasks.amazonaws.com", arnName: "ci-deployer/s1"),  // issuer not a string
            role(#""""#, invokedBy: "ecs-tasks.amazonaws.com", arnName: "ci-deployer/s2"),  // empty issuer
            role("null", invokedBy: "ecs-tasks.amazonaws.com"),
            #"{"type":"AWSService","invokedBy":"ec2.amazonaws.com"}"#,
            #"{"type":"FederatedUser","arn":"arn:aws:sts::111122223333:federated-user/carol"}"#,
            #"{}"#,
        ]
        var out: [String] = []
        for id in ids {
            for (source, error) in [("s3.amazonaws.com", nil), ("bedrock.amazonaws.com", nil), ("s3.amazonaws.com", "AccessDenied"),
                                    ("s3.amazonaws.com", "NoSuchKey")] as [(String, String?)] {
                out.append(record(source: source, identity: id, error: error))
            }
        }
        return out + out
    }()

    static let patternSets: [[String]] = [
        [],
        ["arn:aws:iam::111122223333:user/alice"],
        ["support-bot", "AgentCoreRuntime-*"],
        ["arn:aws:iam::111122223333:role/ci-*", "carol"],
        ["ci-deployer"],
    ]

    /// Without and with the decoder's identity memo (as a scan has it): with it, the rule's `userIdentity` part is kept
    /// per distinct object (`IdentityMemo.scopeBits`), so each record's second sight is answered from there.
    @Test(arguments: patternSets, [false, true])
    func bytesAndStringsAgree(patterns: [String], memo: Bool) {
        let scope = AnalysisScope(knownPrincipalPatterns: patterns)
        let decodeMemo = DecodeMemo()
        let triage = RecordTriage(scope: scope, identityMemo: memo ? decodeMemo.identities : nil)
        let results = Mutex<[(Bool, Bool)]>([])
        let box = UncheckedTriage(triage: triage)
        var options = RecordStream.Options(prefilter: { peek in
            let identity = peek.identity.flatMap { $0.failed ? nil : $0.fields } ?? IdentityFields()
            let (_, source) = box.triage.source(peek)
            let bytes = box.triage.wants(peek, identity, source: source)
            let strings = scope.wants(peek)
            results.withLock { $0.append((bytes, strings)) }
            return false
        })
        options.scansIdentityFirst = true
        if memo { options.decodeMemo = decodeMemo }
        var stream = RecordStream(options)
        stream.feed(Array(("[" + Self.records.joined(separator: ",") + "]").utf8)) { _, _ in }
        stream.finish()
        let all = results.withLock { $0 }
        #expect(all.count == Self.records.count)
        for (i, (bytes, strings)) in all.enumerated() {
            #expect(bytes == strings, "record \(i): bytes \(bytes), strings \(strings): \(Self.records[i])")
        }
        if memo { #expect(decodeMemo.identities.hits > 0) }
    }

    @Test func patternsBringInRecordsOtherwiseOutOfScope() {
        let record = Self.record(identity: #"{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice"}"#)
        func wants(_ patterns: [String]) -> Bool {
            let seen = Mutex(false)
            let scope = AnalysisScope(knownPrincipalPatterns: patterns)
            var stream = RecordStream(.init(prefilter: { peek in seen.withLock { $0 = scope.wants(peek) }; return false }))
            stream.feed(Array(record.utf8)) { _, _ in }
            stream.finish()
            return seen.withLock { $0 }
        }
        #expect(!wants([]))
        #expect(wants(["alice"]))
        #expect(wants(["arn:aws:iam::111122223333:user/*"]))
        #expect(!wants(["bob"]))
    }
}

/// The triage is used from the stream's prefilter on this one thread.
private struct UncheckedTriage: @unchecked Sendable { let triage: RecordTriage }
