import AgentTrailTestSupport
import Foundation
import Testing
@testable import AgentTrail

/// Panther's labelled CloudTrail rule tests (vendored, Apache-2.0: `Fixtures/reallogs/panther-labelled-tests.json`,
/// built by `Scripts/extract_panther_tests.py`), each record decoded by AgentTrail's own decoder and run through
/// every detector alone. A record Panther labels "should alert" in a family AgentTrail covers is found by that
/// family's detector; one labelled "should not alert" stays silent at medium and above — except where AgentTrail
/// reports it on purpose, each listed below with the reason.
@Suite struct PantherLabelledTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var rule: String, family: String, name: String, expected: Bool
        var log: Data
        var testDescription: String { "\(rule) / \(name)" }
    }

    static let cases: [Case] = {
        let url = URL(fileURLWithPath: TestPaths.vendoredReallogs + "/panther-labelled-tests.json")
        guard let data = try? Data(contentsOf: url),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let tests = root["tests"] as? [[String: Any]] else { return [] }
        return tests.compactMap { t in
            guard t["outOfFamily"] == nil, let log = t["log"],
                  let bytes = try? JSONSerialization.data(withJSONObject: log) else { return nil }
            return Case(rule: t["rule"] as? String ?? "", family: t["family"] as? String ?? "", name: t["name"] as? String ?? "",
                        expected: t["expected"] as? Bool ?? false, log: bytes)
        }
    }()

    /// Should-not-alert records AgentTrail reports on purpose: (rule, test name) → what it reports and why.
    static let byDesign: [String: (outcome: String?, why: String)] = [
        "AWS.CloudTrail.Stopped/Error Stopping CloudTrail": ("failed", "a failed StopLogging shows intent; reported one level lower"),
        "AWS.CloudTrail.SecurityConfigurationChange/Security Configuration Not Changed - Error": ("failed", "a failed DeleteTrail shows intent"),
        "AWS.Console.RootLoginFailed/Successful Login": (nil, "every Root sign-in is reported (Panther's AWS.Console.RootLogin alerts on it too)"),
        "AWS.CloudTrail.RootAccessKeyCreated/Root Created Access Key For User": ("succeeded", "Root creating any access key is a credential change"),
        "AWS.Root.Activity/Root Activity - CreateServiceLinkedRole": ("succeeded", "AWS: use Root only for tasks that require it"),
        "AWS.Root.Activity/Root Read-Only Enumeration": ("succeeded", "Root reads are reported at medium"),
        "AWS.Root.Activity/Root User Failed Activity": ("failed", "Root failures are reported as failures, one level lower"),
        "AWS.CloudTrail.RootPasswordChanged/Root Password Change Failed": ("failed", "a failed Root password change is reported as a failure"),
    ]

    /// Should-alert records AgentTrail does not report on purpose.
    static let silentByDesign: [String: String] = [
        "AWS.CloudTrail.Created/CloudTrail Was Created": "creating a trail adds coverage (audit-tampering reports reductions)",
    ]

    static func findings(_ c: Case) throws -> [Finding] {
        let record = try #require(try RecordDecoder().decode([UInt8](c.log)))
        var config = AgentTrailConfig()
        config.principals = [PrincipalRule(pattern: "arn:aws:iam::*:user/*")]  // principals of interest for denied-calls
        let context = AnalysisContext(config: config)
        let facts = BaselineRecordFactory.facts([record], context: context)
        var out: [Finding] = []
        for d in DetectorRegistry.all() {
            let acc = d.makeAccumulator(context: context)
            acc.observe(ObservedRecord(record: record, file: "panther.json", index: 0))
            out += acc.findings(facts)
        }
        return out
    }

    @Test func fixtureIsThere() {
        #expect(Self.cases.count >= 30)
        #expect(Self.cases.contains { $0.expected } && Self.cases.contains { !$0.expected })
    }

    @Test(arguments: cases)
    func labelled(_ c: Case) throws {
        let mine = try Self.findings(c).filter { $0.detector == c.family }
        let alerting = mine.filter { $0.severity >= (c.family == "denied-calls" ? .low : .medium) }
        if c.expected, let why = Self.silentByDesign["\(c.rule)/\(c.name)"] {
            #expect(alerting.isEmpty, "silent on purpose: \(why)")
        } else if c.expected {
            #expect(!alerting.isEmpty, "should alert: \(c.rule) / \(c.name)")
        } else if let design = Self.byDesign["\(c.rule)/\(c.name)"] {
            #expect(!alerting.isEmpty, "reported on purpose (\(design.why))")
            if let outcome = design.outcome {
                #expect(alerting.allSatisfy { ($0.subject["outcome"] ?? ($0.details["outcome"]?.first.map { $0.contains("failed") ? "failed" : "succeeded" })) == outcome },
                        "\(design.why): \(alerting.map(\.title))")
            }
        } else {
            #expect(alerting.isEmpty, "should stay silent: \(c.rule) / \(c.name): \(alerting.map(\.title))")
        }
    }
}
