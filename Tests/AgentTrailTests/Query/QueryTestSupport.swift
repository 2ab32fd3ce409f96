import AgentTrailTestSupport
import Foundation
@testable import AgentTrail

/// Helpers shared by the query tests.
enum QuerySupport {
    static var sampleLogs: String { TestPaths.sampleLogs }
    /// The public CloudTrail samples vendored with the tests (`Fixtures/reallogs`, see its SOURCES.md).
    static var realLogs: String { TestPaths.vendoredReallogs }

    /// A record's JSON from parts (all optional).
    static func record(id: String, time: String? = "2026-11-28T10:15:00Z", source: String = "bedrock.amazonaws.com",
                       name: String = "InvokeModel", region: String = "us-east-1", ip: String = "203.0.113.7",
                       identity: String = roleIdentity(), error: String? = nil, message: String? = nil,
                       account: String = "111122223333", agent: String = "aws-cli/2", extra: String = "") -> String {
        var s = "{\"eventVersion\":\"1.09\",\"userIdentity\":\(identity),"
        if let time { s += "\"eventTime\":\"\(time)\"," }
        s += "\"eventSource\":\"\(source)\",\"eventName\":\"\(name)\",\"awsRegion\":\"\(region)\","
        s += "\"sourceIPAddress\":\"\(ip)\",\"userAgent\":\"\(agent)\","
        if let error { s += "\"errorCode\":\"\(error)\"," }
        if let message { s += "\"errorMessage\":\"\(message)\"," }
        s += "\"requestParameters\":{\"modelId\":\"anthropic.claude\"\(extra)},\"eventID\":\"\(id)\","
        s += "\"eventType\":\"AwsApiCall\",\"recipientAccountId\":\"\(account)\"}"
        return s
    }

    static func roleIdentity(role: String = "AgentRole", session: String = "sess-1", account: String = "111122223333",
                             key: String = "ASIAEXAMPLEKEY000001", issuer: Bool = true) -> String {
        var s = "{\"type\":\"AssumedRole\",\"principalId\":\"AROAEXAMPLE:\(session)\","
        s += "\"arn\":\"arn:aws:sts::\(account):assumed-role/\(role)/\(session)\",\"accountId\":\"\(account)\","
        s += "\"accessKeyId\":\"\(key)\""
        if issuer {
            s += ",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"principalId\":\"AROAEXAMPLE\","
            s += "\"arn\":\"arn:aws:iam::\(account):role/\(role)\",\"accountId\":\"\(account)\",\"userName\":\"\(role)\"}}"
        }
        return s + "}"
    }

    static func userIdentity(user: String = "alice", account: String = "111122223333", key: String = "AKIAEXAMPLEKEY000002") -> String {
        "{\"type\":\"IAMUser\",\"principalId\":\"AIDAEXAMPLE\",\"arn\":\"arn:aws:iam::\(account):user/\(user)\",\"accountId\":\"\(account)\",\"accessKeyId\":\"\(key)\",\"userName\":\"\(user)\"}"
    }

    /// Writes `text` to a fresh temporary file and returns its path.
    static func write(_ text: String, name: String = "records.json") -> String {
        let dir = try! TestPaths.temporaryFolder("query")
        let url = dir.appendingPathComponent(name)
        try! Data(text.utf8).write(to: url)
        return url.path
    }

    /// The event ids a query matches in `paths`, in output order.
    static func ids(_ query: EventQuery, _ paths: [String], jobs: Int = 2, pushDown: Bool = true, limit: Int? = nil) -> [String] {
        let (c, _) = QueryRun.run(QueryOptions(paths: paths, query: query, jobs: jobs, pushDown: pushDown)) {
            EventCollector(limit: limit)
        }
        return c.events.map { $0.decoded()?.eventID ?? "?" }
    }

    /// All matched records' raw bytes in output order.
    static func raws(_ query: EventQuery, _ paths: [String], jobs: Int = 2, pushDown: Bool = true, limit: Int? = nil) -> [[UInt8]] {
        let (c, _) = QueryRun.run(QueryOptions(paths: paths, query: query, jobs: jobs, pushDown: pushDown)) {
            EventCollector(limit: limit)
        }
        return c.events.map(\.raw)
    }
}
