import Testing
@testable import AgentTrail

@Suite struct DeniedCallsDetectorTests {
    typealias F = TrailFixture

    @Test(arguments: ["AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "Client.UnauthorizedOperation",
                      "VpceAccessDenied", "Forbidden"])
    func firesOnDenialCodes(code: String) throws {
        let findings = F.run(DeniedCallsDetector(), [
            F.bedrock("InvokeModel", role: "App", time: F.at(0), error: code),
            F.bedrock("InvokeModel", role: "App", time: F.at(5), error: code),
            F.bedrock("InvokeModel", role: "App", time: nil, error: code),
        ])
        let f = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(f.principal == F.roleArn("App"))
        #expect(f.subject == ["action": "bedrock:InvokeModel"])
        #expect(f.count == 3)
        #expect(f.severity == .low)
        #expect(f.firstSeen == F.instant(F.at(0)))
        #expect(f.lastSeen == F.instant(F.at(5)))
        #expect(f.evidenceTotal == 3)
        #expect(f.details["errorCodes"] == [code])
        #expect(f.title.contains("3 denied calls"))
    }

    @Test(arguments: ["ValidationException", "ThrottlingException", "ResourceNotFoundException"])
    func ignoresOtherErrors(code: String) {
        #expect(F.run(DeniedCallsDetector(), [F.bedrock("InvokeModel", role: "App", error: code)]).isEmpty)
    }

    @Test func notAuthorizedMessageCounts() {
        let r = F.rec("ec2.amazonaws.com", "RunInstances", role: "App", error: "Client.SomethingElse",
                      message: "You are not authorized to perform this operation. User: x is not authorized to perform: ec2:RunInstances")
        #expect(F.run(DeniedCallsDetector(), [r]).map(\.subject) == [["action": "ec2:RunInstances"]])
    }

    @Test func groupsPerPrincipalAndAction() {
        let findings = F.run(DeniedCallsDetector(), [
            F.bedrock("InvokeModel", role: "A", error: "AccessDeniedException"),
            F.bedrock("Converse", role: "A", error: "AccessDeniedException"),
            F.bedrock("InvokeModel", role: "B", error: "AccessDeniedException"),
            F.bedrock("InvokeModel", role: "A"),
        ])
        #expect(findings.map(\.key) == [
            "denied-calls|\(F.roleArn("A"))|action=bedrock:Converse",
            "denied-calls|\(F.roleArn("A"))|action=bedrock:InvokeModel",
            "denied-calls|\(F.roleArn("B"))|action=bedrock:InvokeModel",
        ])
    }
}
