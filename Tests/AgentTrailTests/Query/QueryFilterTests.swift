import Foundation
import Testing
@testable import AgentTrail

/// Every filter and combinations, evaluated through `QueryRun` (with and without push-down, which must agree).
@Suite struct QueryFilterTests {
    typealias S = QuerySupport

    /// Nine records covering each filter's cases.
    static let records: [String] = [
        S.record(id: "r1"),
        S.record(id: "r2", time: "2026-11-28T12:30:00Z", name: "InvokeModelWithResponseStream", ip: "2001:db8:4f2a:1::1b",
                 identity: S.roleIdentity(session: "sess-2")),
        S.record(id: "r3", time: "2026-11-27T09:00:00Z", source: "s3.amazonaws.com", name: "GetObject", region: "eu-west-1",
                 ip: "198.51.100.20", identity: S.userIdentity(), error: "AccessDenied", message: "Access Denied"),
        S.record(id: "r4", time: "2026-11-28T11:00:00Z", name: "ListFoundationModels", ip: "203.0.113.200",
                 identity: S.userIdentity(user: "bob", key: "AKIABOBKEY0000000003"), error: "ThrottlingException"),
        S.record(id: "r5", time: "2026-11-29T01:00:00Z", source: "sts.amazonaws.com", name: "AssumeRole", ip: "bedrock.amazonaws.com",
                 identity: "{\"type\":\"AWSService\",\"invokedBy\":\"bedrock.amazonaws.com\"}", account: "444455556666"),
        S.record(id: "r6", time: "2026-11-28T10:45:00Z", source: "bedrock-agent.amazonaws.com", name: "CreateAgent",
                 ip: "2001:db8:ffff::9", identity: S.roleIdentity(role: "OtherRole", session: "x", account: "444455556666",
                                                                    key: "ASIAOTHER00000000004", issuer: false),
                 error: "AccessDeniedException", account: "444455556666", extra: ",\"note\":\"caf\\u00e9 \\/ n\\u00famero\""),
        S.record(id: "r7", time: nil, name: "InvokeModel", ip: "203.0.113.7"),
        S.record(id: "r8", time: "2026-11-28T10:20:00Z", name: "Converse", region: "us-west-2", ip: "10.0.0.5",
                 error: "ValidationException", message: "User: x is not authorized to perform: bedrock:Converse"),
        S.record(id: "r9", time: "2026-11-28T10:25:00Z", source: "bedrock-agentcore.amazonaws.com", name: "InvokeAgentRuntime",
                 ip: "203.0.113.8", identity: S.roleIdentity(role: "service-role/AgentCoreRuntime-bot", session: "rt")),
    ]

    static let path: String = S.write("{\"Records\":[" + records.joined(separator: ",\n") + "]}")

    static func q(_ edit: (inout EventQuery) -> Void) -> EventQuery {
        var q = EventQuery()
        edit(&q)
        return q
    }

    static func t(_ s: String) -> Instant { TimeExpression.parseISO(s)! }

    /// (label, query, expected ids in output order).
    static let cases: [(String, EventQuery, [String])] = [
        ("none", q { _ in }, ["r3", "r1", "r8", "r9", "r6", "r4", "r2", "r5", "r7"]),
        ("principal role name", q { $0.principals = [Glob("AgentRole")] }, ["r1", "r8", "r2", "r7"]),
        ("principal role arn", q { $0.principals = [Glob("arn:aws:iam::111122223333:role/AgentRole")] }, ["r1", "r8", "r2", "r7"]),
        ("principal derived role arn (no sessionIssuer)", q { $0.principals = [Glob("arn:aws:iam::444455556666:role/OtherRole")] }, ["r6"]),
        ("principal session", q { $0.principals = [Glob("sess-2")] }, ["r2"]),
        ("principal session arn", q { $0.principals = [Glob("arn:aws:sts::111122223333:assumed-role/AgentRole/sess-2")] }, ["r2"]),
        ("principal user name", q { $0.principals = [Glob("alice")] }, ["r3"]),
        ("principal user arn glob", q { $0.principals = [Glob("arn:aws:iam::*:user/*")] }, ["r3", "r4"]),
        ("principal glob on path role", q { $0.principals = [Glob("*AgentCoreRuntime-*")] }, ["r9"]),
        ("principal service", q { $0.principals = [Glob("bedrock.amazonaws.com")] }, ["r5"]),
        ("principal OR", q { $0.principals = [Glob("alice"), Glob("bob")] }, ["r3", "r4"]),
        ("principal is case-sensitive", q { $0.principals = [Glob("agentrole")] }, []),
        ("access key", q { $0.accessKeys = [Glob("AKIABOBKEY0000000003")] }, ["r4"]),
        ("access key glob", q { $0.accessKeys = [Glob("AKIA*")] }, ["r3", "r4"]),
        ("ip v4 host", q { $0.networks = [CIDR("203.0.113.7")!] }, ["r1", "r7"]),
        ("ip v4 /24", q { $0.networks = [CIDR("203.0.113.0/24")!] }, ["r1", "r9", "r4", "r7"]),
        ("ip v4 /25 excludes .200", q { $0.networks = [CIDR("203.0.113.0/25")!] }, ["r1", "r9", "r7"]),
        ("ip v4 /12", q { $0.networks = [CIDR("10.0.0.0/8")!] }, ["r8"]),
        ("ip v6 host other form", q { $0.networks = [CIDR("2001:0db8:4f2a:0001:0000:0000:0000:001b")!] }, ["r2"]),
        ("ip v6 /32", q { $0.networks = [CIDR("2001:db8::/32")!] }, ["r6", "r2"]),
        ("ip v6 /64", q { $0.networks = [CIDR("2001:db8:4f2a:1::/64")!] }, ["r2"]),
        ("ip OR v4 v6", q { $0.networks = [CIDR("198.51.100.0/24")!, CIDR("2001:db8:ffff::/48")!] }, ["r3", "r6"]),
        ("event source", q { $0.eventSources = [Glob("S3.amazonaws.com", caseInsensitive: true)] }, ["r3"]),
        ("event source glob", q { $0.eventSources = [Glob("bedrock*", caseInsensitive: true)] }, ["r1", "r8", "r9", "r6", "r4", "r2", "r7"]),
        ("event name glob", q { $0.eventNames = [Glob("invokemodel*", caseInsensitive: true)] }, ["r1", "r2", "r7"]),
        ("action", q { $0.actions = [Glob("bedrock:InvokeModelWithResponseStream", caseInsensitive: true)] }, ["r2"]),
        ("action glob", q { $0.actions = [Glob("s3:Get*", caseInsensitive: true)] }, ["r3"]),
        ("action OR", q { $0.actions = [Glob("sts:AssumeRole", caseInsensitive: true), Glob("bedrock-agentcore:*", caseInsensitive: true)] }, ["r9", "r5"]),
        ("errors", q { $0.errorsOnly = true }, ["r3", "r8", "r6", "r4"]),
        ("denied (code or message)", q { $0.deniedOnly = true }, ["r3", "r8", "r6"]),
        ("region", q { $0.regions = ["eu-west-1", "us-west-2"] }, ["r3", "r8"]),
        ("account recipient or identity", q { $0.accounts = ["444455556666"] }, ["r6", "r5"]),
        ("since", q { $0.since = t("2026-11-28T11:00:00Z") }, ["r4", "r2", "r5"]),
        ("until", q { $0.until = t("2026-11-28T10:20:00Z") }, ["r3", "r1", "r8"]),
        ("since+until", q { $0.since = t("2026-11-28T10:00Z"); $0.until = t("2026-11-28T10:59Z") }, ["r1", "r8", "r9", "r6"]),
        ("contains", q { $0.contains = ["anthropic.claude\"},\"eventID\":\"r4"] }, ["r4"]),
        ("contains escaped text as written", q { $0.contains = ["caf\\u00e9 \\/"] }, ["r6"]),
        ("contains OR", q { $0.contains = ["\"r1\"", "\"r2\""] }, ["r1", "r2"]),
        ("principal AND errors", q { $0.principals = [Glob("AgentRole")]; $0.errorsOnly = true }, ["r8"]),
        ("source AND denied AND since", q {
            $0.eventSources = [Glob("bedrock*", caseInsensitive: true)]; $0.deniedOnly = true; $0.since = t("2026-11-28T10:30:00Z")
        }, ["r6"]),
        ("ip AND name AND region", q {
            $0.networks = [CIDR("203.0.113.0/24")!]; $0.eventNames = [Glob("Invoke*", caseInsensitive: true)]; $0.regions = ["us-east-1"]
        }, ["r1", "r9", "r7"]),
        ("access key AND account", q { $0.accessKeys = [Glob("ASIA*")]; $0.accounts = ["444455556666"] }, ["r6"]),
        ("contradiction", q { $0.principals = [Glob("alice")]; $0.regions = ["us-east-1"] }, []),
    ]

    @Test(arguments: cases)
    func filter(_ c: (String, EventQuery, [String])) {
        let pushed = S.ids(c.1, [Self.path], pushDown: true)
        let plain = S.ids(c.1, [Self.path], jobs: 1, pushDown: false)
        #expect(pushed == c.2, "\(c.0)")
        #expect(plain == c.2, "\(c.0) without push-down")
    }

    /// A sign-in failure has no errorCode, only `{"ConsoleLogin": "Failure"}`: `--errors` finds it with and without
    /// push-down; `--denied` does not (a failed password is not an authorization refusal).
    @Test func signInFailureIsAnError() {
        let failed = #"{"eventVersion":"1.08","userIdentity":{"type":"Root","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333"},"eventTime":"2026-11-28T10:00:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9","responseElements":{"ConsoleLogin":"Failure"},"eventID":"fail"}"#
        let ok = failed.replacingOccurrences(of: "Failure", with: "Success").replacingOccurrences(of: "\"fail\"", with: "\"ok\"")
        let path = S.write("{\"Records\":[\(failed),\(ok)]}")
        for pushDown in [true, false] {
            #expect(S.ids(Self.q { $0.errorsOnly = true }, [path], pushDown: pushDown) == ["fail"])
            #expect(S.ids(Self.q { $0.deniedOnly = true }, [path], pushDown: pushDown) == [])
        }
    }

    @Test func pushDownIsANecessaryCondition() throws {
        // Every record a query matches passes its raw and peeked prefilters.
        for (label, query, _) in Self.cases {
            let matcher = EventMatcher(query)
            let raw = query.makeRawPrefilter()
            for text in Self.records {
                let bytes = Array(text.utf8)
                let record = try #require(try RecordDecoder(keepRaw: true).decode(bytes))
                guard matcher.matches(record) else { continue }
                if let raw { #expect(bytes.withUnsafeBytes { raw($0) }, "\(label): raw prefilter rejected \(record.eventID ?? "")") }
                if let peek = query.makePeekPrefilter() {
                    let kept = try RecordDecoder(prefilter: peek).decode(bytes)
                    #expect(kept != nil, "\(label): peek prefilter rejected \(record.eventID ?? "")")
                }
            }
        }
    }

    @Test func rawNeedlesSkipTextJSONMayEscape() {
        var q = EventQuery()
        q.principals = [Glob("arn:aws:iam::1:role/a/b/LongRoleName")]
        q.networks = [CIDR("2001:db8::/32")!]
        #expect(q.rawNeedles == [[Array("LongRoleName".utf8)]])
        q.principals = [Glob("arn:aws:iam::*:role/*")]  // only derived words left: no needle
        #expect(q.rawNeedles.isEmpty)
        q = EventQuery()
        q.networks = [CIDR("203.0.113.0/24")!, CIDR("10.1.2.3")!]
        #expect(q.rawNeedles == [[Array("\"203.0.113.".utf8), Array("\"10.1.2.3\"".utf8)]])
        q.networks = [CIDR("203.0.113.0/24")!, CIDR("::1")!]
        #expect(q.rawNeedles.isEmpty)
    }
}
