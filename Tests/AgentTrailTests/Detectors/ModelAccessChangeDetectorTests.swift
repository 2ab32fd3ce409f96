import Foundation
import Testing
@testable import AgentTrail

@Suite struct ModelAccessChangeDetectorTests {
    typealias F = TrailFixture

    @Test(arguments: ["PutUseCaseForModelAccess", "PutFoundationModelEntitlement", "CreateFoundationModelAgreement"])
    func firesOnSuccessAndDenied(name: String) throws {
        let findings = F.run(ModelAccessChangeDetector(), [
            F.bedrock(name, role: "Admin", time: F.at(0)),
            F.bedrock(name, role: "Admin", time: F.at(1), error: "AccessDeniedException"),
        ])
        let f = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(f.subject == ["action": "bedrock:" + name])
        #expect(f.count == 2)
        #expect(f.severity == .medium)
        #expect(f.details["outcome"] == ["1 succeeded", "1 denied"])
    }

    @Test(arguments: [
        ("bedrock.amazonaws.com", "GetUseCaseForModelAccess", nil),
        ("bedrock.amazonaws.com", "PutUseCaseForModelAccess", "ValidationException"),
        ("sagemaker.amazonaws.com", "PutUseCaseForModelAccess", nil),
    ] as [(String, String, String?)])
    func nearMisses(source: String, name: String, error: String?) {
        #expect(F.run(ModelAccessChangeDetector(), [F.rec(source, name, role: "Admin", error: error)]).isEmpty)
    }
}
