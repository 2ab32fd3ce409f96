import Testing
@testable import AgentTrail

/// A detector with a varied record set for merge-order checks.
struct MergeScenario: Sendable, CustomTestStringConvertible {
    var detector: any Detector
    var records: [CloudTrailRecord]
    var context = AnalysisContext()
    var testDescription: String { detector.id.rawValue }
}

/// For every detector: one accumulator over all records gives exactly the findings (all fields) of split
/// accumulators fed in other orders and merged in other orders.
@Suite struct DetectorMergeTests {
    typealias F = TrailFixture

    static let scenarios: [MergeScenario] = {
        let enumeration: [CloudTrailRecord] = (0..<14).map {
            F.rec("iam.amazonaws.com", "List\($0)", role: "Enum", time: F.at($0 / 2, seconds: $0 * 7), error: "AccessDenied")
        } + (0..<12).map {
            F.rec("s3.amazonaws.com", "Get\($0)", role: "Enum", time: F.at(180 + $0), error: "AccessDenied")
        } + [F.rec("iam.amazonaws.com", "List0", role: "Enum", time: nil, error: "AccessDenied"),
             F.rec("iam.amazonaws.com", "List1", role: "Other", time: F.at(3), error: "AccessDeniedException")]
        let recon: [CloudTrailRecord] = BedrockReconDetector.reconActions.enumerated().map { i, n in
            F.bedrock(n, user: "thief", time: F.at(i * 30), error: i % 3 == 0 ? "AccessDeniedException" : nil)
        } + [
            F.bedrock("ListFoundationModels", user: "thief", time: F.at(1000)),
            F.bedrock("InvokeModel", user: "thief", time: F.at(1005)),
            F.bedrock("Converse", user: "thief", time: F.at(1009)),
            F.bedrock("ListFoundationModels", user: "thief", time: F.at(2000)),
            F.bedrock("InvokeModel", user: "thief", time: nil, error: "ValidationException"),
            F.bedrock("InvokeModel", role: "App", time: F.at(5), error: "ValidationException"),
        ]
        let changes: [CloudTrailRecord] = BedrockGuardrailOrLoggingChangeDetector.actions.sorted().enumerated().flatMap { i, n in
            [F.bedrock(n, role: "Admin", time: F.at(i)), F.bedrock(n, role: "Dev", time: F.at(i + 1), error: "AccessDeniedException"),
             F.bedrock(n, role: "Admin", time: F.at(i + 2))]
        }
        let audit: [CloudTrailRecord] = AuditTamperingDetector.actions.sorted().enumerated().flatMap { i, n in
            [F.rec("cloudtrail.amazonaws.com", n, role: "Admin", time: F.at(i)),
             F.rec("cloudtrail.amazonaws.com", n, role: "Dev", time: F.at(i + 1), error: "AccessDenied"),
             F.rec("cloudtrail.amazonaws.com", n, role: "Dev", time: F.at(i + 3))]
        }
        let access: [CloudTrailRecord] = ModelAccessChangeDetector.actions.sorted().flatMap { n in
            [F.bedrock(n, role: "Admin"), F.bedrock(n, role: "Admin", error: "AccessDeniedException"), F.bedrock(n, role: "Dev", time: nil)]
        }
        let creds: [CloudTrailRecord] = [
            F.bedrock("InvokeModel", user: "alice", time: F.at(1)), F.bedrock("Converse", user: "alice", time: F.at(2)),
            F.rec("bedrock.amazonaws.com", "InvokeModel", root: true, time: F.at(3)),
            F.rec("bedrock.amazonaws.com", "InvokeModel", user: "BedrockAPIKey-x1", time: F.at(4)),
            F.rec("bedrock-agentcore.amazonaws.com", "InvokeAgentRuntime", user: "alice", time: nil),
            F.rec("bedrock.amazonaws.com", "Converse", role: "App", additional: #"{"callWithBearerToken":true}"#),
        ]
        let tls: [CloudTrailRecord] = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1", "SSLv3", "weird"].enumerated().map { i, v in
            F.rec("bedrock.amazonaws.com", "InvokeModel", role: i % 2 == 0 ? "A" : "B", time: F.at(i), tls: v, host: "h\(i % 2)")
        }
        let cross: [CloudTrailRecord] = [
            F.rec("bedrock.amazonaws.com", "InvokeModel", role: "Partner", account: "444455556666", time: F.at(1), recipient: "111122223333"),
            F.rec("bedrock.amazonaws.com", "Converse", role: "Partner", account: "444455556666", time: F.at(2), recipient: "111122223333"),
            F.rec("bedrock-agentcore.amazonaws.com", "InvokeAgentRuntime", role: "Partner", account: "444455556666", time: nil, recipient: "777788889999"),
            F.rec("bedrock.amazonaws.com", "InvokeModel", role: "Local", time: F.at(3)),
        ]
        let root: [CloudTrailRecord] = [
            F.rec("iam.amazonaws.com", "CreateAccessKey", root: true, time: F.at(1)),
            F.rec("iam.amazonaws.com", "ListUsers", root: true, time: F.at(2)),
            F.rec("bedrock.amazonaws.com", "InvokeModel", root: true, time: nil),
            F.rec("signin.amazonaws.com", "ConsoleLogin", root: true, time: F.at(0), ip: "203.0.113.5", additional: #"{"MFAUsed":"No"}"#),
            F.rec("signin.amazonaws.com", "ConsoleLogin", root: true, time: F.at(9), ip: "203.0.113.5", additional: #"{"MFAUsed":"Yes"}"#,
                  response: #"{"ConsoleLogin":"Failure"}"#),
            F.rec("signin.amazonaws.com", "ConsoleLogin", root: true, time: F.at(5), ip: "10.1.2.3", additional: #"{"MFAUsed":"No"}"#),
        ]
        return [
            MergeScenario(detector: DeniedCallsDetector(), records: enumeration),
            MergeScenario(detector: DeniedBurstDetector(), records: enumeration),
            MergeScenario(detector: BedrockReconDetector(), records: recon),
            MergeScenario(detector: ModelAccessChangeDetector(), records: access),
            MergeScenario(detector: BedrockGuardrailOrLoggingChangeDetector(), records: changes),
            MergeScenario(detector: AuditTamperingDetector(), records: audit),
            MergeScenario(detector: LongTermCredentialsDetector(), records: creds),
            MergeScenario(detector: WeakTLSDetector(), records: tls),
            MergeScenario(detector: CrossAccountAccessDetector(), records: cross),
            MergeScenario(detector: RootActivityDetector(), records: root,
                          context: F.context("root-activity", trusted: ["10.0.0.0/8"])),
        ]
    }()

    @Test(arguments: scenarios)
    func mergeIsOrderIndependent(_ s: MergeScenario) {
        let single = F.run(s.detector, s.records, context: s.context)
        #expect(!single.isEmpty, "scenario must produce findings to be meaningful")
        let splits: [[Finding]] = [
            F.runSplit(s.detector, s.records, parts: 2, reverse: false, mergeOrder: [0, 1], context: s.context) { $0 % 2 },
            F.runSplit(s.detector, s.records, parts: 2, reverse: true, mergeOrder: [1, 0], context: s.context) { $0 % 2 },
            F.runSplit(s.detector, s.records, parts: 3, reverse: true, mergeOrder: [2, 0, 1], context: s.context) { ($0 * 7) % 3 },
            F.runSplit(s.detector, s.records, parts: 2, reverse: false, mergeOrder: [1, 0], context: s.context) { $0 < s.records.count / 3 ? 0 : 1 },
        ]
        for split in splits {
            #expect(split == single)
        }
    }

    /// The scan's dispatch (`AccumulatorObservers`, which does not call an accumulator for the actions it turns away,
    /// `observesAction`) gives the findings that calling the accumulator for every record gives, with other services'
    /// records mixed in.
    @Test(arguments: scenarios)
    func dispatchThroughTheObserversGivesTheSameFindings(_ s: MergeScenario) {
        let noise = [F.rec("s3.amazonaws.com", "GetObject", role: "App", time: F.at(7)),
                     F.rec("sts.amazonaws.com", "AssumeRole", role: "App", time: F.at(8)),
                     F.rec("kms.amazonaws.com", "Decrypt", user: "alice", time: F.at(9), error: "AccessDenied"),
                     F.rec("cloudtrail.amazonaws.com", "LookupEvents", role: "Admin", time: F.at(10)),
                     F.rec("bedrock.amazonaws.com", "GetFoundationModel", role: "Admin", time: F.at(11))]
        var records: [CloudTrailRecord] = []
        for (i, r) in s.records.enumerated() {
            records.append(r)
            if i % 2 == 0 { records.append(noise[i / 2 % noise.count]) }
        }
        let direct = F.run(s.detector, records, context: s.context)
        let accumulator = s.detector.makeAccumulator(context: s.context)
        var observers = AccumulatorObservers([accumulator])
        for event in F.observed(records) { observers.observe(event) }
        let dispatched = withExtendedLifetime(accumulator) {
            accumulator.findings(F.facts(s.context)).sorted { $0.key < $1.key }
        }
        #expect(!direct.isEmpty)
        #expect(dispatched == direct)
    }
}
