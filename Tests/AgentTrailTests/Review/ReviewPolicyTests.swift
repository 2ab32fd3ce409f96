import Foundation
import Synchronization
import Testing
@testable import AgentTrail

/// Keeps the successful calls of every principal (test only: SampleLogs is small).
private struct CallCollector: Detector {
    let descriptor = DetectorDescriptor(id: "test-call-collector", defaultSeverity: .info, summary: "test", traits: [.internal])
    let sink = Sink()
    final class Sink: Sendable { let calls = Mutex<[(key: String, record: CloudTrailRecord)]>([]) }
    func makeAccumulator(context: AnalysisContext) -> any DetectorAccumulator { Acc(sink: sink) }
    final class Acc: DetectorAccumulator {
        let sink: Sink
        var calls: [(key: String, record: CloudTrailRecord)] = []
        init(sink: Sink) { self.sink = sink }
        func observe(_ event: ObservedRecord) { if event.record.succeeded { calls.append((event.principalKey, event.record)) } }
        func merge(_ o: Acc) { calls += o.calls }
        func findings(_ facts: RunFacts) -> [Finding] {
            let mine = calls
            sink.calls.withLock { $0 = mine }
            return []
        }
    }
}

@Suite struct ReviewPolicyTests {
    static let calls: [(key: String, record: CloudTrailRecord)] = {
        var options = ScanOptions(paths: [ReviewFixtures.sampleLogs + "/AWSLogs"], jobs: 2, decodeEverything: true)
        let collector = CallCollector()
        options.detectors = [collector]
        _ = ScanRun.run(options)
        return collector.sink.calls.withLock { $0 }
    }()

    static let roles = ["AgentCoreRuntime-support-bot", "AgentCoreRuntime-research-agent", "SupportChatBackendRole",
                        "BatchSummarizerRole", "ClaimsProcessorRole", "DevSandboxRole", "PartnerAgentInvokerRole"]

    /// Every successful call of the role is allowed by its generated policy (on every applicable resource), and the
    /// policy grants exactly the actions of those calls.
    @Test(arguments: roles)
    func generatedPolicyAllowsEveryCallAndNothingElse(role: String) throws {
        let options = ScanOptions(paths: [ReviewFixtures.sampleLogs + "/AWSLogs"], jobs: 2)
        let (keys, policy) = try #require(AccessReview.policy(options, principal: role))
        #expect(policy.problems.isEmpty, "\(policy.problems.map(\.message))")
        let doc = try #require(policy.document)
        let evaluator = Evaluator(policies: PolicySet([doc]))
        var needed = Set<IAMAction>()
        var checked = 0
        for (key, r) in Self.calls where keys.contains(key) {
            guard case .actions(let actions) = EventActionMap.shared.actions(for: r) else { continue }
            let context = RequestContext(record: r)
            for action in actions {
                needed.insert(action)
                let resources = ResourceApplicability.applicable(ResourceExtractor.resources(of: r), to: action)
                let supports = ActionCatalogue.shared.action(named: action)?.supportsResourceLevelPermissions ?? true
                let targets: [String?] = resources.isEmpty ? [supports ? nil : "*"] : resources
                for t in targets {
                    let d = evaluator.evaluate(action: action, resource: t, context: context)
                    if t == nil {
                        // Resource not in the record: the policy must hold a pattern for the action (never a deny).
                        #expect(d != .implicitDeny, "\(action) \(r.eventID ?? "")")
                    } else {
                        #expect(d.isAllowed, "\(action) on \(t!) (\(r.eventID ?? "")): \(d)")
                    }
                    checked += 1
                }
            }
        }
        #expect(checked > 0)
        #expect(Set(policy.actions) == needed)
    }

    @Test func agentRuntimeInvocationGetsRuntimeAndEndpoint() throws {
        let options = ScanOptions(paths: [ReviewFixtures.sampleLogs + "/AWSLogs"], jobs: 2)
        let (_, policy) = try #require(AccessReview.policy(options, principal: "SupportChatBackendRole"))
        let resources = try #require(policy.resourcesByAction[IAMAction("bedrock-agentcore:InvokeAgentRuntime")!])
        #expect(resources.contains { $0.hasSuffix(":runtime/support_bot-Xq7Lm2Np9R") })
        #expect(resources.contains { $0.contains("/runtime-endpoint/") })
    }

    @Test func unknownPrincipalHasNoPolicy() {
        let options = ScanOptions(paths: [ReviewFixtures.sampleLogs + "/AWSLogs"], jobs: 1)
        #expect(AccessReview.policy(options, principal: "NoSuchRole") == nil)
    }

    @Test(arguments: [
        ("arn:aws:iam::1:role/service-role/R", "R", true),
        ("arn:aws:iam::1:role/service-role/R", "arn:aws:iam::1:role/R", true),
        ("arn:aws:iam::1:role/service-role/R", "arn:aws:sts::1:assumed-role/R/session", true),
        ("arn:aws:iam::1:role/service-role/R", "arn:aws:iam::2:role/R", false),
        ("arn:aws:iam::1:role/R", "arn:aws:iam::1:user/R", false),
        ("arn:aws:iam::1:role/R2", "R", false),
    ])
    func principalMatching(key: String, query: String, expected: Bool) {
        #expect(AccessReview.matches(key: key, query: query) == expected)
    }
}
