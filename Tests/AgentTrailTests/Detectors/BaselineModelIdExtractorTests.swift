import Testing
import AgentTrail

@Suite struct BaselineModelIdExtractorTests {
    @Test(arguments: [
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
    ])
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
}
