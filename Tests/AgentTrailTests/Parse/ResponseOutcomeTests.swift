import AgentTrailTestSupport
import Foundation
import Testing
@testable import AgentTrail

/// Data events that fail in their `responseElements` only (AWS doc "Understanding Amazon Bedrock AgentCore Gateway
/// CloudTrail events"): failures everywhere, with a code for display.
@Suite struct ResponseOutcomeTests {
    static func record(category: String?, response: String, error: String? = nil) throws -> CloudTrailRecord {
        var s = "{\"eventSource\":\"bedrock-agentcore.amazonaws.com\",\"eventName\":\"InvokeGateway\","
        if let category { s += "\"eventCategory\":\"\(category)\"," }
        if let error { s += "\"errorCode\":\"\(error)\"," }
        s += "\"responseElements\":\(response)}"
        return try #require(try ParseSupport.decode(s))
    }

    @Test(arguments: [
        // (category, responseElements, errorCode, succeeded, denied, failureCode)
        ("Data", #"{"body":{"jsonrpc":"2.0","id":0,"error":{"code":-32001,"message":"Invalid Bearer token"}},"contentType":"application/json","statusCode":401}"#, nil, false, true, "HTTP 401"),
        ("Data", #"{"statusCode":403}"#, nil, false, true, "HTTP 403"),
        ("Data", #"{"statusCode":"500"}"#, nil, false, false, "HTTP 500"),
        ("Data", #"{"body":{"error":{"code":-32602,"message":"bad params"}},"statusCode":200}"#, nil, false, false, "JSON-RPC -32602"),
        ("Data", #"{"body":{"jsonrpc":"2.0","result":{"content":[{"error":{"code":1}}]}},"statusCode":200}"#, nil, true, false, nil),
        ("Data", #"{"statusCode":200}"#, nil, true, false, nil),
        ("Data", #""<REDACTED>""#, nil, true, false, nil),
        // A management event's response is not read this way (its failures carry errorCode).
        ("Management", #"{"statusCode":401}"#, nil, true, false, nil),
        (nil, #"{"statusCode":401}"#, nil, true, false, nil),
        ("Data", #"{"statusCode":401}"#, "ThrottlingException", false, false, "ThrottlingException"),
    ] as [(String?, String, String?, Bool, Bool, String?)])
    func outcome(category: String?, response: String, error: String?, succeeded: Bool, denied: Bool, code: String?) throws {
        let r = try Self.record(category: category, response: response, error: error)
        #expect(r.succeeded == succeeded)
        #expect(r.isAccessDenied == denied)
        #expect(r.failureCode == code)
    }

    /// The AWS documentation's own records (vendored): the 401 InvokeGateway is a refused call, the tools/call is not.
    @Test func awsDocumentationGatewayEvents() throws {
        let path = TestPaths.vendoredReallogs + "/aws-docs-agentcore-examples.json"
        var q = EventQuery()
        q.errorsOnly = true
        let (errors, _) = QueryRun.run(QueryOptions(paths: [path], query: q, jobs: 1)) { EventCollector() }
        q.errorsOnly = false
        q.deniedOnly = true
        let (denied, _) = QueryRun.run(QueryOptions(paths: [path], query: q, jobs: 1)) { EventCollector() }
        #expect(errors.events.count == 1)
        #expect(denied.events.count == 1)
        let raw = String(decoding: try #require(denied.events.first?.raw), as: UTF8.self)
        #expect(raw.contains("Invalid Bearer token"))
    }
}
