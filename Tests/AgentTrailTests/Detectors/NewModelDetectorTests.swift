import Foundation
import Testing
import AgentTrail

@Suite struct NewModelDetectorTests {
    @Test(arguments: BaselineCases.newModel)
    func scenario(_ c: BaselineCase) { c.check() }
}

extension BaselineCases {
    static let newModel: [BaselineCase] = [
        BaselineCase(name: "new model after the learning part → low", detector: { NewModelDetector() },
                     records: { F.routine() + [F.rec(day: 5, model: "meta.llama3-70b-instruct-v1:0")] },
                     expected: ["model=meta.llama3-70b-instruct-v1:0 low"]),
        BaselineCase(name: "model first used in the learning part → none", detector: { NewModelDetector() },
                     records: { F.routine() + [F.rec(day: 2, model: "meta.llama3-70b-instruct-v1:0"), F.rec(day: 5, model: "meta.llama3-70b-instruct-v1:0")] },
                     expected: []),
        BaselineCase(name: "foundation-model ARN of a known model → none", detector: { NewModelDetector() },
                     records: { F.routine() + [F.rec(day: 5, name: "Converse", model: "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0")] },
                     expected: []),
        BaselineCase(name: "modelId of a non-invoke call is ignored", detector: { NewModelDetector() },
                     records: { F.routine() + [F.rec(day: 5, name: "GetFoundationModel", model: "meta.llama3-70b-instruct-v1:0")] },
                     expected: []),
        BaselineCase(name: "stored baseline: model absent from it fires", detector: {
                         NewModelDetector(storedBaselines: StaticBaselines([F.role: PrincipalBaseline(models: ["amazon.titan-text-express-v1"])]))
                     },
                     records: { shortWindow([F.rec(day: 0, hour: 1, model: "anthropic.claude-3-haiku-20240307-v1:0"),
                                             F.rec(day: 0, hour: 1.5, model: "amazon.titan-text-express-v1")]) },
                     expected: ["model=anthropic.claude-3-haiku-20240307-v1:0 low"]),
    ]
}
