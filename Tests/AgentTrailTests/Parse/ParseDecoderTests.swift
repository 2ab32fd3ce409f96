import Foundation
import Testing
@testable import AgentTrail

private let fullRecord = #"""
{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:sess","arn":"arn:aws:sts::123456789012:assumed-role/AgentRole/sess","accountId":"123456789012","accessKeyId":"ASIAEXAMPLE","invokedBy":"bedrock-agentcore.amazonaws.com","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE","arn":"arn:aws:iam::123456789012:role/service-role/agents/AgentRole","accountId":"123456789012","userName":"AgentRole"},"attributes":{"creationDate":"2025-07-14T18:00:00Z","mfaAuthenticated":"false"},"sourceIdentity":"alice"}},
 "eventTime":"2025-07-14T18:22:09.123Z","eventSource":"bedrock-agentcore.amazonaws.com","eventName":"InvokeAgentRuntime","awsRegion":"us-east-1",
 "sourceIPAddress":"2001:db8::1","userAgent":"Boto3/1.34 \"quoted\"","errorCode":"AccessDeniedException","errorMessage":"User is not authorized to perform this",
 "requestParameters":{"agentRuntimeArn":"arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/abc", "payload" : [1, {"modelId":"m1"}]},
 "responseElements":null,"additionalEventData":{"k":"v"},"requestID":"req-1","eventID":"ev-1","readOnly":false,"resources":[{"accountId":"123456789012","type":"AWS::BedrockAgentCore::Runtime","ARN":"arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/abc"},{"ARN":"arn:x"}],
 "eventType":"AwsApiCall","managementEvent":false,"recipientAccountId":"123456789012","sharedEventID":"shared-1","vpcEndpointId":"vpce-1","vpcEndpointAccountId":"111122223333","eventCategory":"Data",
 "tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"bedrock-agentcore.us-east-1.amazonaws.com"},"sessionCredentialFromConsole":"true","unknown":{"deep":[[[{"x":"]"}]]]}}
"""#

@Suite struct ParseDecoderTests {
    @Test func decodesEveryField() throws {
        let r = try #require(try ParseSupport.decode(fullRecord))
        #expect(r.eventVersion == "1.09")
        #expect(r.eventTime == Instant(year: 2025, month: 7, day: 14, hour: 18, minute: 22, second: 9, millisecond: 123))
        #expect(r.eventTimeText == nil)
        #expect(r.eventSource == "bedrock-agentcore.amazonaws.com")
        #expect(r.eventName == "InvokeAgentRuntime")
        #expect(r.awsRegion == "us-east-1")
        #expect(r.sourceAddress == .ip(IPAddress("2001:db8::1")!))
        #expect(r.sourceIPText == "2001:db8::1")
        #expect(r.userAgent == #"Boto3/1.34 "quoted""#)
        #expect(r.errorCode == "AccessDeniedException")
        #expect(r.isAccessDenied)
        #expect(r.requestID == "req-1")
        #expect(r.eventID == "ev-1")
        #expect(r.readOnly == false)
        #expect(r.eventType == "AwsApiCall")
        #expect(r.managementEvent == false)
        #expect(r.eventCategory == "Data")
        #expect(r.recipientAccountId == "123456789012")
        #expect(r.sharedEventID == "shared-1")
        #expect(r.vpcEndpointId == "vpce-1")
        #expect(r.vpcEndpointAccountId == "111122223333")
        #expect(r.tlsVersion == "TLSv1.3")
        #expect(r.cipherSuite == "TLS_AES_128_GCM_SHA256")
        #expect(r.clientProvidedHostHeader == "bedrock-agentcore.us-east-1.amazonaws.com")
        #expect(r.sessionCredentialFromConsole == true)
        let u = r.principal
        #expect(u.type == "AssumedRole")
        #expect(u.arn == "arn:aws:sts::123456789012:assumed-role/AgentRole/sess")
        #expect(u.principalId == "AROAEXAMPLE:sess")
        #expect(u.accountId == "123456789012")
        #expect(u.accessKeyId == "ASIAEXAMPLE")
        #expect(u.invokedBy == "bedrock-agentcore.amazonaws.com")
        #expect(u.sessionIssuerArn == "arn:aws:iam::123456789012:role/service-role/agents/AgentRole")
        #expect(u.sessionIssuerType == "Role")
        #expect(u.mfaAuthenticated == false)
        #expect(u.sourceIdentity == "alice")
        #expect(u.identityKey == "arn:aws:iam::123456789012:role/service-role/agents/AgentRole")
        #expect(r.resources == [
            ResourceReference(arn: "arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/abc", accountId: "123456789012",
                              type: "AWS::BedrockAgentCore::Runtime"),
            ResourceReference(arn: "arn:x"),
        ])
        #expect(r.requestParameters?.text == #"{"agentRuntimeArn":"arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/abc", "payload" : [1, {"modelId":"m1"}]}"#)
        #expect(r.responseElements == nil)
        #expect(r.additionalEventData?.text == #"{"k":"v"}"#)
        #expect(r.raw == nil)
    }

    /// `isServiceEvent` follows `eventType` as decoded (escapes undone first) and as set afterwards.
    @Test(arguments: [(#""AwsServiceEvent""#, true), (#""Aws\u0053erviceEvent""#, true), (#""AwsApiCall""#, false),
                      (#""awsserviceevent""#, false), ("null", false), (#""AwsServiceEvent ""#, false)])
    func serviceEventsAsDecodedAndSet(_ value: String, _ expected: Bool) throws {
        let text = #"{"eventTime":"2025-07-14T18:22:09Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","eventType":"#
            + value + "}"
        var r = try #require(try ParseSupport.decode(text))
        #expect(r.isServiceEvent == expected, "\(value)")
        r.eventType = expected ? "AwsApiCall" : "AwsServiceEvent"
        #expect(r.isServiceEvent == !expected)
        r.eventType = nil
        #expect(!r.isServiceEvent)
        #expect(!CloudTrailRecord(eventSource: "s3.amazonaws.com", eventName: "GetObject").isServiceEvent)
    }

    @Test func keepRawKeepsTheExactBytes() throws {
        let input = Array(("{\"Records\":[ " + fullRecord + " ,{\"eventSource\":\"a\",\"eventName\":\"b\"}]}").utf8)
        let (records, _) = ParseSupport.stream(input, chunkSize: 13, options: .init(keepRaw: true))
        #expect(records.count == 2)
        #expect(records.first?.0.raw?.bytes == Array(fullRecord.utf8))
        #expect(records.last?.0.raw?.text == #"{"eventSource":"a","eventName":"b"}"#)
    }

    @Test func boolsAsStringsAndIPv4AndServiceSource() throws {
        let r = try #require(try ParseSupport.decode(#"{"eventSource":"a","eventName":"b","readOnly":"true","managementEvent":"FALSE","sourceIPAddress":"10.1.2.3","userIdentity":{"sessionContext":{"attributes":{"mfaAuthenticated":true}}}}"#))
        #expect(r.readOnly == true)
        #expect(r.managementEvent == false)
        #expect(r.sourceAddress == .ip(IPAddress("10.1.2.3")!))
        #expect(r.principal.mfaAuthenticated == true)
        let s = try #require(try ParseSupport.decode(#"{"eventSource":"a","eventName":"b","sourceIPAddress":"bedrock-agentcore.amazonaws.com","readOnly":"maybe"}"#))
        #expect(s.sourceAddress == .service("bedrock-agentcore.amazonaws.com"))
        #expect(s.readOnly == nil)
        #expect(s.principal == Principal())
    }

    /// The rule: a record needs a non-empty eventSource and eventName; otherwise it is malformed.
    @Test(arguments: [
        (#"{"eventName":"ListBuckets"}"#, DecodeError.Code.missingEventIdentity),
        (#"{"eventSource":"s3.amazonaws.com"}"#, .missingEventIdentity),
        (#"{"errorCode":"BucketNotEmpty"}"#, .notAnEvent),
        (#"{"eventsource":"s3.amazonaws.com","eventname":"X"}"#, .notAnEvent),
        (#"{"eventSource":null,"eventName":"X"}"#, .missingEventIdentity),
        (#"{"eventSource":"","eventName":"X"}"#, .missingEventIdentity),
        (#"[1,2]"#, .notAnObject),
        (#""text""#, .notAnObject),
        (#"{"eventSource":"a","eventName":"b",}"#, .syntax),
        (#"{"eventSource":"a" "eventName":"b"}"#, .syntax),
        (#"{"eventSource":"a","eventName":tru}"#, .syntax),
        (#"{"eventSource":"a","eventName":"b","x":01}"#, .syntax),
        (#"{"eventSource":"a","eventName":"b","x":{"y":[}}"#, .syntax),
        (#"{"eventSource":"a","eventName":"b"} extra"#, .syntax),
        (#"{"eventSource":"a","eventName":"b","userIdentity":{"type" "x"}}"#, .syntax),
        (#"{"eventSource":"a","eventName":"b"#, .syntax),
    ])
    func malformedRecords(input: String, code: DecodeError.Code) {
        #expect(throws: DecodeError.self) { try ParseSupport.decode(input) }
        do {
            _ = try ParseSupport.decode(input)
        } catch {
            #expect(error.code == code, "\(input): \(error)")
            #expect(error.byteOffset >= 0 && error.byteOffset <= input.utf8.count)
        }
    }

    @Test func invalidUTF8IsRepaired() throws {
        var bytes = Array(#"{"eventSource":"a","eventName":"b","userAgent":"x"#.utf8)
        bytes += [0xFF, 0xC3, 0x28, 0xE2, 0x82]
        bytes += Array(#"y"}"#.utf8)
        let r = try #require(try RecordDecoder().decode(bytes))
        #expect(r.userAgent == "x\u{FFFD}\u{FFFD}(\u{FFFD}y")
    }

    @Test func prefilterSkipsWithoutDecoding() throws {
        let input = [
            #"{"eventSource":"s3.amazonaws.com","eventName":"GetObject","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/bob"}}"#,
            fullRecord.replacingOccurrences(of: "\n", with: ""),
            #"{"eventSource":"bedrock.amazonaws.com","eventName":"InvokeModel","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/eve","accessKeyId":"AKIAX"},"requestParameters":{"modelId":"anthropic.claude"}}"#,
            #"{"eventName":"broken"}"#,
        ].joined(separator: "\n")
        let seen = SeenBox()
        let options = RecordStream.Options(prefilter: { peek in
            seen.add("\(peek.eventSource)|\(peek.eventName)|\(peek.userArn ?? "-")|\(peek.userType ?? "-")|\(peek.sessionIssuerArn ?? "-")|\(peek.invokedBy ?? "-")|\(peek.accessKeyId ?? "-")|\(peek.requestParameters?.findStrings(forKey: "modelId").first ?? "-")")
            return peek.eventSourceIs("bedrock.amazonaws.com") || peek.eventNameIs("InvokeAgentRuntime")
        })
        let (records, stream) = ParseSupport.stream(Array(input.utf8), chunkSize: 11, options: options)
        #expect(records.map(\.0.eventName) == ["InvokeAgentRuntime", "InvokeModel"])
        #expect(records.map(\.1) == [1, 2])
        #expect(stream.counts.elements == 4)
        #expect(stream.counts.decoded == 2)
        #expect(stream.counts.filtered == 1)
        #expect(stream.counts.malformed == 1)
        #expect(seen.values == [
            "s3.amazonaws.com|GetObject|arn:aws:iam::1:user/bob|IAMUser|-|-|-|-",
            "bedrock-agentcore.amazonaws.com|InvokeAgentRuntime|arn:aws:sts::123456789012:assumed-role/AgentRole/sess|AssumedRole|arn:aws:iam::123456789012:role/service-role/agents/AgentRole|bedrock-agentcore.amazonaws.com|ASIAEXAMPLE|m1",
            "bedrock.amazonaws.com|InvokeModel|arn:aws:iam::1:user/eve|IAMUser|-|-|AKIAX|anthropic.claude",
        ])
        #expect(stream.issues.map(\.index) == [3])
        #expect(stream.issues.map(\.code) == [.malformedRecord])
    }

    @Test func malformedRecordInTheMiddleOfRecords() {
        let good1 = #"{"eventSource":"a","eventName":"one"}"#
        let bad = #"{"eventSource":"a","eventName":"two","x":[1,}"#
        let good2 = #"{"eventSource":"a","eventName":"three"}"#
        let input = #"{"Records":["# + [good1, bad, good2].joined(separator: ",") + "]}"
        for chunk in [1, 7, 4096] {
            let (records, stream) = ParseSupport.stream(input, chunkSize: chunk, options: .init(file: "f.json"))
            #expect(records.map(\.0.eventName) == ["one", "three"])
            #expect(records.map(\.1) == [0, 2])
            #expect(stream.issues.count == 1)
            let issue = stream.issues.first
            #expect(issue?.index == 1)
            #expect(issue?.code == .malformedRecord)
            #expect(issue?.file == "f.json")
            #expect(stream.counts == { var c = RecordStream.Counts(); c.elements = 3; c.decoded = 2; c.malformed = 1; c.issues = 1; return c }())
        }
    }

    @Test func truncatedStreamReportsAndKeepsEarlierRecords() {
        let input = #"{"Records":[{"eventSource":"a","eventName":"one"},{"eventSource":"a","eventName":"tw"#
        let (records, stream) = ParseSupport.stream(input, chunkSize: 5)
        #expect(records.map(\.0.eventName) == ["one"])
        #expect(stream.issues.map(\.code) == [.unterminatedRecord])
        #expect(stream.issues.map(\.index) == [1])
        #expect(stream.counts.elements == 2)
        #expect(stream.counts.malformed == 1)
    }
}

/// Collects prefilter observations (the prefilter is `@Sendable`).
final class SeenBox: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ s: String) { lock.withLock { items.append(s) } }
    var values: [String] { lock.withLock { items } }
}
