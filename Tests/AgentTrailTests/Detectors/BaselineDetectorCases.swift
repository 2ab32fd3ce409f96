import Foundation
import Testing
import AgentTrail

/// One detector scenario: records, config, and the findings expected as `"<subject k=v> <severity>"`.
struct BaselineCase: Sendable, CustomTestStringConvertible {
    let name: String
    let detector: @Sendable () -> any Detector
    let records: @Sendable () -> [CloudTrailRecord]
    var context: @Sendable () -> AnalysisContext = { AnalysisContext() }
    var agentRoles: Set<String> = []
    let expected: [String]

    var testDescription: String { name }

    /// Findings reduced to `"k=v[,k=v] severity"`, sorted.
    static func summary(_ findings: [Finding]) -> [String] {
        findings.map { f in
            f.subject.keys.sorted().map { "\($0)=\(f.subject[$0]!)" }.joined(separator: ",") + " " + f.severity.name
        }.sorted()
    }
}

typealias F = BaselineRecordFactory

/// A small AWS address snapshot for the tests (3.80.0.0/12 EC2 in us-east-1), in AWS's ip-ranges.json format.
let awsRanges = try! AWSAddressRanges(jsonData: Data(#"{"createDate":"2026-11-20-00-00-00","prefixes":[{"ip_prefix":"3.80.0.0/12","region":"us-east-1","service":"AMAZON"},{"ip_prefix":"3.80.0.0/12","region":"us-east-1","service":"EC2"}],"ipv6_prefixes":[]}"#.utf8))

func config(_ edit: (inout AgentTrailConfig) -> Void) -> AnalysisContext {
    var c = AgentTrailConfig()
    edit(&c)
    return AnalysisContext(config: c)
}

/// A 2-hour window: too short to learn a baseline (no `baselineEnd`).
func shortWindow(_ extra: [CloudTrailRecord]) -> [CloudTrailRecord] {
    [F.rec(day: 0, hour: 0, ip: "203.0.113.5"), F.rec(day: 0, hour: 2, ip: "203.0.113.5")] + extra
}

extension BaselineCase {
    /// Runs the scenario and checks its findings (and that they are well formed).
    func check() {
        let findings = F.run(detector(), records(), context: context(), agentRoles: agentRoles)
        #expect(BaselineCase.summary(findings) == expected)
        let id = detector().id.rawValue
        for f in findings {
            #expect(f.detector == id)
            #expect(f.count > 0 && f.evidenceTotal == f.count)
            #expect(!f.evidence.isEmpty && f.firstSeen != nil)
            #expect(DetectorRegistry.descriptor(for: id) != nil)
        }
    }
}

/// The scenarios of the baseline-driven detectors, one table per detector (in each detector's test file).
enum BaselineCases {
    static var all: [BaselineCase] { unknownIP + agentRole + vpcEndpoint + newRegion + newModel + spike }
}
