import Testing
@testable import AgentTrail

/// `ResourceExtractor.resources(of:)`: `resources[]` ARNs plus ARNs derived from request parameters, sorted and
/// deduplicated. A derived ARN that `resources[]` already names byte for byte is not built again (same result);
/// one that differs by a byte (an escaped key, another bucket) is kept.
@Suite struct ResourceExtractorTests {
    static func record(_ source: String, params: String, resources: String?) -> String {
        #"{"eventSource":"\#(source)","eventName":"X","awsRegion":"us-east-1","recipientAccountId":"111122223333","eventCategory":"Data","requestParameters":\#(params)"#
            + (resources.map { #","resources":\#($0)"# } ?? "") + "}"
    }

    static let cases: [(json: String, expected: [String])] = [
        (record("s3.amazonaws.com", params: #"{"bucketName":"b","key":"k/1"}"#,
                resources: #"[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::b/k/1"},{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::b"}]"#),
         ["arn:aws:s3:::b", "arn:aws:s3:::b/k/1"]),
        (record("s3.amazonaws.com", params: #"{"bucketName":"b","key":"k\/1"}"#,
                resources: #"[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::b/k/1"}]"#),
         ["arn:aws:s3:::b/k/1"]),
        (record("s3.amazonaws.com", params: #"{"bucketName":"b","key":"k 1"}"#,
                resources: #"[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::b/k%201"}]"#),
         ["arn:aws:s3:::b/k 1", "arn:aws:s3:::b/k%201"]),
        (record("s3.amazonaws.com", params: #"{"bucketName":"other"}"#,
                resources: #"[{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::b"}]"#),
         ["arn:aws:s3:::b", "arn:aws:s3:::other"]),
        (record("s3.amazonaws.com", params: #"{"bucketName":"b","key":"k"}"#, resources: nil), ["arn:aws:s3:::b/k"]),
        (record("dynamodb.amazonaws.com", params: #"{"tableName":"Orders","key":{"id":{"S":"1"}}}"#,
                resources: #"[{"accountId":"111122223333","type":"AWS::DynamoDB::Table","ARN":"arn:aws:dynamodb:us-east-1:111122223333:table/Orders"}]"#),
         ["arn:aws:dynamodb:us-east-1:111122223333:table/Orders"]),
        (record("dynamodb.amazonaws.com", params: #"{"tableName":"Orders"}"#,
                resources: #"[{"type":"AWS::DynamoDB::Table","ARN":"arn:aws:dynamodb:us-east-1:111122223333:table/Ordersx"}]"#),
         ["arn:aws:dynamodb:us-east-1:111122223333:table/Orders", "arn:aws:dynamodb:us-east-1:111122223333:table/Ordersx"]),
        (record("logs.amazonaws.com", params: #"{"logGroupName":"/g","logStreamName":"s"}"#,
                resources: #"[{"ARN":"arn:aws:logs:us-east-1:111122223333:log-group:/g"}]"#),
         ["arn:aws:logs:us-east-1:111122223333:log-group:/g", "arn:aws:logs:us-east-1:111122223333:log-group:/g:log-stream:s"]),
        // Sorted and deduplicated whatever the count and order.
        (record("ec2.amazonaws.com", params: "{}",
                resources: #"[{"ARN":"arn:aws:ec2:::c"},{"ARN":"arn:aws:ec2:::a"},{"ARN":"arn:aws:ec2:::c"},{"ARN":"arn:aws:ec2:::b"},{"ARN":"arn:aws:ec2:::a"}]"#),
         ["arn:aws:ec2:::a", "arn:aws:ec2:::b", "arn:aws:ec2:::c"]),
        (record("ec2.amazonaws.com", params: "{}", resources: #"[{"ARN":"arn:aws:ec2:::z"},{"ARN":"arn:aws:ec2:::y"}]"#),
         ["arn:aws:ec2:::y", "arn:aws:ec2:::z"]),
        (record("ec2.amazonaws.com", params: "{}", resources: #"[{"ARN":"arn:aws:ec2:::y"},{"ARN":"arn:aws:ec2:::y"}]"#),
         ["arn:aws:ec2:::y"]),
        // Bedrock: a geography prefix makes an inference profile; anything else (a longer word, or a combining mark
        // that joins the dot into another character) is a foundation model.
        (record("bedrock.amazonaws.com", params: #"{"modelId":"us.anthropic.claude"}"#, resources: nil),
         ["arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude"]),
        (record("bedrock.amazonaws.com", params: #"{"modelId":"global.x"}"#, resources: nil),
         ["arn:aws:bedrock:us-east-1:111122223333:inference-profile/global.x"]),
        (record("bedrock.amazonaws.com", params: #"{"modelId":"usa.x"}"#, resources: nil),
         ["arn:aws:bedrock:us-east-1::foundation-model/usa.x"]),
        (record("bedrock.amazonaws.com", params: #"{"modelId":"us.\u0301x"}"#, resources: nil),
         ["arn:aws:bedrock:us-east-1::foundation-model/us.\u{301}x"]),
        (record("bedrock.amazonaws.com", params: #"{"modelId":"us.\u00e9x"}"#, resources: nil),
         ["arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.\u{e9}x"]),
    ]

    @Test(arguments: cases.indices)
    func derivedARNsJoinTheNamedOnes(index: Int) throws {
        let c = Self.cases[index]
        let r = try #require(try RecordDecoder().decode(Array(c.json.utf8)))
        #expect(ResourceExtractor.resources(of: r) == c.expected)
    }
}
