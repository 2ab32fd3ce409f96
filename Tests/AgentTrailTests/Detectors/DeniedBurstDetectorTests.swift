import Testing
@testable import AgentTrail

@Suite struct DeniedBurstDetectorTests {
    typealias F = TrailFixture

    /// `n` distinct denied actions, action i at `offset(i)` seconds.
    static func denials(_ n: Int, role: String = "Enum", offset: (Int) -> Int) -> [CloudTrailRecord] {
        (0..<n).map { F.rec("iam.amazonaws.com", "Action\($0)", role: role, time: F.at(0, seconds: offset($0)), error: "AccessDenied") }
    }

    @Test(arguments: [
        (10, 60, 1),   // 10 actions, one a minute: spans exactly 9 minutes
        (10, 66, 1),   // spans 9m54s
        (35, 5, 1),    // a fast 35-action enumeration is one finding
        (9, 10, 0),    // one action short
        (10, 120, 0),  // spread over 18 minutes: at most 6 per window
    ])
    func threshold(count: Int, spacingSeconds: Int, expected: Int) throws {
        let findings = F.run(DeniedBurstDetector(), Self.denials(count) { $0 * spacingSeconds })
        #expect(findings.count == expected)
        if expected == 1 {
            let f = try #require(findings.first)
            #expect(f.details["actions"]?.count == count)
            #expect(f.count == count)
            #expect(f.severity == .high)
            #expect(f.principal == F.roleArn("Enum"))
            #expect(f.subject == ["start": F.at(0)])
            #expect(f.firstSeen == F.instant(F.at(0)))
            #expect(f.lastSeen == F.instant(F.at(0, seconds: (count - 1) * spacingSeconds)))
            #expect(f.evidence.count == min(count, Evidence.cap))
        }
    }

    @Test func repeatsOfOneActionDoNotCount() {
        let same = (0..<30).map { F.rec("iam.amazonaws.com", "ListRoles", role: "Enum", time: F.at($0 / 3), error: "AccessDenied") }
        #expect(F.run(DeniedBurstDetector(), same).isEmpty)
    }

    @Test func twoBurstsHoursApartAreTwoFindings() {
        let records = Self.denials(12) { $0 * 10 } + Self.denials(12) { 7200 + $0 * 10 }
        let findings = F.run(DeniedBurstDetector(), records)
        #expect(findings.count == 2)
        #expect(Set(findings.map { $0.subject["start"] }) == [F.at(0), F.at(120)])
    }

    @Test func recordsWithoutTimeAreIgnored() {
        let records = (0..<12).map { F.rec("iam.amazonaws.com", "A\($0)", role: "Enum", time: nil, error: "AccessDenied") }
        #expect(F.run(DeniedBurstDetector(), records).isEmpty)
    }

    @Test func successesAndOtherPrincipalsDoNotCount() {
        var records = Self.denials(9) { $0 * 5 }
        records.append(F.rec("iam.amazonaws.com", "Extra", role: "Enum", time: F.at(1)))
        records.append(F.rec("iam.amazonaws.com", "Extra", role: "Other", time: F.at(1), error: "AccessDenied"))
        #expect(F.run(DeniedBurstDetector(), records).isEmpty)
    }

    @Test func thresholdsComeFromConfig() {
        let ctx = F.context("denied-burst", ["distinctActions": 3, "windowMinutes": 1])
        #expect(F.run(DeniedBurstDetector(), Self.denials(3) { $0 * 20 }, context: ctx).count == 1)
        #expect(F.run(DeniedBurstDetector(), Self.denials(3) { $0 * 40 }, context: ctx).isEmpty)
    }
}
