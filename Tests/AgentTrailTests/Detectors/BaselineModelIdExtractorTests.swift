import Testing
@testable import AgentTrail

@Suite struct BaselineModelIdExtractorTests {
    static let cases: [(String, String?)] = [
        (#"{"modelId":"anthropic.claude-3-haiku-20240307-v1:0"}"#, "anthropic.claude-3-haiku-20240307-v1:0" as String?),
        (#"  { "contentType" : "application/json", "modelId" :  "meta.llama3"  } "#, "meta.llama3"),
        (#"{"body":{"modelId":"nested-not-top"},"modelId":"top"}"#, "top"),
        (#"{"messages":[{"text":"say \"modelId\": \"x\""}],"modelId":"real"}"#, "real"),
        (#"{"a":[1,{"b":[2,3]}],"n":-1.5e3,"t":true,"z":null,"modelId":"after-values"}"#, "after-values"),
        (#"{"modelId":"a\"b\\c\/d"}"#, #"a"b\c/d"#),
        (#"{"modelId":"caf\u00e9 \ud83d\ude00"}"#, "café 😀"),
        (#"{"model\u0049d":"escaped-key"}"#, "escaped-key"),
        (#"{"body":{"modelId":"only-nested"}}"#, nil),
        (#"{"modelId":42}"#, nil),
        (#"{"modelId":"unterminated}"#, nil),
        (#"{"modelId":"bad \ud83d surrogate"}"#, nil),
        (#"["modelId","x"]"#, nil),
        ("null", nil),
        ("{}", nil),
        (#"{"modelId":""}"#, ""),
        (#"{"modelId":"arn:aws:bedrock:us-east-1::foundation-model/amazon.titan"}"#, "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan"),
        (#"{"modelId":"\u12"}"#, nil),
        // (`modelId` not a string or not decodable: `model` is read, as for bedrock-mantle.)
        (#"{"modelId":42,"model":"m-after-number"}"#, "m-after-number"),
        (#"{"model":"m-before-bad-escape","modelId":"bad \ud83d surrogate"}"#, "m-before-bad-escape"),
        (#"{"modelId":"bad \ud83d surrogate","model":"not-reached"}"#, nil),  // (the bad string stops the scan)
        (#"{"model":"m-first","modelId":"id-wins"}"#, "id-wins"),
        (#"{"modelId":"","model":"not-read"}"#, ""),
        (#"{"model":"bad \ud83d surrogate"}"#, nil),
    ]

    @Test(arguments: cases)
    func extracts(json: String, expected: String?) {
        #expect(ModelIdExtractor.modelId(from: RawJSON(json)) == expected)
    }

    @Test func nilInput() {
        #expect(ModelIdExtractor.modelId(from: nil) == nil)
    }

    @Test(arguments: [
        ("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0", "anthropic.claude-3-haiku-20240307-v1:0"),
        ("us.anthropic.claude-3-5-sonnet-20240620-v1:0", "us.anthropic.claude-3-5-sonnet-20240620-v1:0"),
        ("arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.meta.llama3", "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.meta.llama3"),
    ])
    func normalizes(id: String, expected: String) {
        #expect(ModelIdExtractor.normalized(id) == expected)
    }

    /// The memoised path used by the detector gives exactly what the uncached `NewModelDetector.modelId(of:)`
    /// gives, for every case, seen once or repeated, in any order, for invocations and other calls.
    @Test func cacheMatchesTheUncachedPath() {
        var cache = ModelIdExtractor.Cache()
        var records: [CloudTrailRecord] = []
        for name in ["InvokeModel", "ConverseStream", "ListFoundationModels"] {
            for (json, _) in Self.cases {
                var r = CloudTrailRecord(eventSource: "bedrock.amazonaws.com", eventName: name)
                r.requestParameters = RawJSON(json)
                records.append(r)
            }
        }
        var s3 = CloudTrailRecord(eventSource: "s3.amazonaws.com", eventName: "InvokeModel")
        s3.requestParameters = RawJSON(#"{"modelId":"x"}"#)
        records.append(s3)
        var found = 0
        for r in records + records.reversed() + records {
            let expected = NewModelDetector.modelId(of: r)
            #expect(cache.modelId(of: r) == expected, "\(r.eventName)")
            if expected != nil { found += 1 }
        }
        #expect(found > 20)
    }
}
