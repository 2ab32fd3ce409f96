import Foundation
import Testing
import AgentTrail

@Suite struct NewRegionDetectorTests {
    @Test(arguments: BaselineCases.newRegion)
    func scenario(_ c: BaselineCase) { c.check() }
}

extension BaselineCases {
    static let newRegion: [BaselineCase] = [
        BaselineCase(name: "new region with invokes → medium", detector: { NewRegionDetector() },
                     records: { F.routine() + [F.rec(day: 5, region: "eu-west-1")] },
                     expected: ["region=eu-west-1 medium"]),
        BaselineCase(name: "new region, read only → low", detector: { NewRegionDetector() },
                     records: { F.routine() + [F.rec(day: 5, name: "ListFoundationModels", region: "eu-west-1", readOnly: true)] },
                     expected: ["region=eu-west-1 low"]),
        BaselineCase(name: "region first used in the learning part → none", detector: { NewRegionDetector() },
                     records: { F.routine() + [F.rec(day: 1, region: "eu-west-1"), F.rec(day: 5, region: "eu-west-1")] },
                     expected: []),
        BaselineCase(name: "global service logged in us-east-1 is not a region choice", detector: { NewRegionDetector() },
                     records: { F.routine(region: "eu-west-1") + [F.rec(day: 5, source: "iam", name: "GetRole", region: "us-east-1")] },
                     expected: []),
        BaselineCase(name: "principal first seen after the learning part → none", detector: { NewRegionDetector() },
                     records: { F.routine() + [F.rec(F.user, day: 5, region: "eu-west-1")] },
                     expected: []),
        BaselineCase(name: "stored baseline: a region absent from it fires", detector: {
                         NewRegionDetector(storedBaselines: StaticBaselines([F.role: PrincipalBaseline(regions: ["us-east-1"])]))
                     },
                     records: { shortWindow([F.rec(day: 0, hour: 1, region: "ap-southeast-2")]) },
                     expected: ["region=ap-southeast-2 medium"]),
    ]
}
