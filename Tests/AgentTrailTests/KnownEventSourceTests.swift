import Testing
@testable import AgentTrail

/// `KnownEventSource` from the raw JSON bytes (the decoder's path) agrees with the decoded text, escapes included,
/// and a decoded record keeps it in step with `eventSource`.
@Suite struct KnownEventSourceTests {
    @Test(arguments: [
        ("bedrock.amazonaws.com", KnownEventSource.bedrock),
        ("bedrock-mantle.amazonaws.com", .bedrockMantle),
        ("bedrock-agentcore.amazonaws.com", .agentCore),
        ("sts.amazonaws.com", .sts),
        ("cloudtrail.amazonaws.com", .cloudtrail),
        ("s3.amazonaws.com", .s3),
        ("logs.amazonaws.com", .logs),
        ("dynamodb.amazonaws.com", .dynamodb),
        ("secretsmanager.amazonaws.com", .secretsManager),
        ("ec2.amazonaws.com", .other),
        ("Bedrock.amazonaws.com", .other),  // exact, like the String comparisons it replaces
        ("bedrock.amazonaws.co", .other),
        ("", .other),
    ])
    func rawBytesAgreeWithText(_ source: String, _ kind: KnownEventSource) {
        #expect(KnownEventSource(source) == kind)
        #expect(Self.raw("\"" + source + "\"") == kind)
    }

    @Test(arguments: [
        (#""bedrock\u002eamazonaws.com""#, KnownEventSource.bedrock),
        (#""\u0073ts.amazonaws.com""#, .sts),
        (#""s3.amazonaws.co\u006d""#, .s3),
        (#""ec2\u002eamazonaws.com""#, .other),
    ])
    func escapedValuesAreDecoded(_ raw: String, _ kind: KnownEventSource) {
        #expect(Self.raw(raw) == kind)
    }

    @Test func aRecordKeepsItInStepWithEventSource() throws {
        let json = #"{"eventVersion":"1.08","eventTime":"2026-11-20T10:00:00Z","eventSource":"sts\u002eamazonaws.com","eventName":"AssumeRole","awsRegion":"us-east-1","userIdentity":{"type":"AWSService","invokedBy":"ec2.amazonaws.com"}}"#
        var record = try #require(try RecordDecoder().decode(Array(json.utf8)))
        #expect(record.knownSource == .sts && record.eventSource == "sts.amazonaws.com")
        record.eventSource = "bedrock.amazonaws.com"
        #expect(record.knownSource == .bedrock && record.isBedrock)
        #expect(CloudTrailRecord(eventSource: "bedrock-agentcore.amazonaws.com").isAgentCore)
    }

    static func raw(_ text: String) -> KnownEventSource {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { b in
            let p = b.baseAddress!
            return KnownEventSource(raw: p, 0, b.count, decoded: SpanValue.string(p, ByteSpan(start: 0, end: b.count)) ?? "")
        }
    }
}
