import Testing
@testable import AgentTrail

@Suite struct InstantTests {
    @Test(arguments: [
        (2025, 7, 14, 18, 22, 9, 0, "2025-07-14T18:22:09Z"),
        (1970, 1, 1, 0, 0, 0, 0, "1970-01-01T00:00:00Z"),
        (2024, 2, 29, 23, 59, 59, 500, "2024-02-29T23:59:59.500Z"),
        (1969, 12, 31, 23, 0, 0, 0, "1969-12-31T23:00:00Z"),
    ])
    func roundTrip(y: Int, mo: Int, d: Int, h: Int, mi: Int, s: Int, ms: Int, text: String) throws {
        let i = try #require(Instant(year: y, month: mo, day: d, hour: h, minute: mi, second: s, millisecond: ms))
        #expect(i.iso8601 == text)
    }

    @Test func rejectsBadDates() {
        #expect(Instant(year: 2023, month: 2, day: 29) == nil)
        #expect(Instant(year: 2023, month: 13, day: 1) == nil)
    }
}

@Suite struct IPAddressTests {
    @Test(arguments: [
        ("10.0.0.1", "10.0.0.1"), ("2001:db8::1", "2001:db8::1"), ("::", "::"), ("::1", "::1"),
        ("2001:0db8:0000:0000:0000:ff00:0042:8329", "2001:db8::ff00:42:8329"), ("::ffff:1.2.3.4", "::ffff:102:304"),
    ])
    func parses(text: String, canonical: String) throws {
        #expect(try #require(IPAddress(text)).description == canonical)
    }

    @Test(arguments: ["", "1.2.3", "1.2.3.256", "bedrock.amazonaws.com", "AWS Internal", "1::2::3", ":1", "12345::"])
    func rejects(text: String) { #expect(IPAddress(text) == nil) }

    @Test(arguments: [
        ("203.0.113.0/24", "203.0.113.77", true), ("203.0.113.0/24", "203.0.114.1", false),
        ("2001:db8::/32", "2001:db8:ffff::1", true), ("2001:db8::/32", "2001:db9::1", false),
        ("2001:db8:1:2::/64", "2001:db8:1:2:ffff::1", true), ("0.0.0.0/0", "8.8.8.8", true),
        ("10.0.0.0/8", "::ffff:10.0.0.1", false),
    ])
    func cidr(block: String, ip: String, inside: Bool) throws {
        let c = try #require(CIDR(block))
        #expect(c.contains(try #require(IPAddress(ip))) == inside)
    }
}

@Suite struct PrincipalTests {
    @Test func roleFromAssumedRoleArn() {
        let p = Principal(type: "AssumedRole", arn: "arn:aws:sts::123456789012:assumed-role/AgentRole/sess-1")
        #expect(p.identityKey == "arn:aws:iam::123456789012:role/AgentRole")
        #expect(p.sessionName == "sess-1")
        let q = Principal(type: "AssumedRole", arn: "arn:aws:sts::1:assumed-role/R/s",
                          sessionIssuerArn: "arn:aws:iam::1:role/service-role/R")
        #expect(q.identityKey == "arn:aws:iam::1:role/service-role/R")
    }

    /// The type's two classifications follow `type`, as made and as changed (a new box each time).
    @Test(arguments: [("AssumedRole", true, false), ("AWSService", false, true), ("IAMUser", false, false),
                      ("assumedrole", false, false), ("AWSService ", false, false), (nil, false, false)] as [(String?, Bool, Bool)])
    func typeClassifications(_ type: String?, _ assumedRole: Bool, _ service: Bool) {
        let p = Principal(type: type, arn: "arn:aws:sts::1:assumed-role/R/s")
        #expect(p.isAssumedRole == assumedRole && p.isAWSService == service)
        var q = Principal(type: "Root")
        #expect(!q.isAssumedRole && !q.isAWSService)
        q.type = type
        #expect(q.isAssumedRole == assumedRole && q.isAWSService == service)
        q.arn = "arn:aws:iam::1:user/u"  // another field changed: the classification is kept
        #expect(q.isAssumedRole == assumedRole && q.isAWSService == service)
    }

    @Test func keyKinds() {
        #expect(Principal(accessKeyId: "AKIAEXAMPLE").accessKeyKind == .longTerm)
        #expect(Principal(accessKeyId: "ASIAEXAMPLE").accessKeyKind == .temporary)
        #expect(Principal().accessKeyKind == Principal.AccessKeyKind.none)
    }

    static let full = Principal(type: "AssumedRole", arn: "arn:aws:sts::1:assumed-role/R/s", principalId: "AROA:s",
                                accountId: "1", accessKeyId: "ASIAEXAMPLE", userName: "u",
                                sessionIssuerArn: "arn:aws:iam::1:role/R", sessionIssuerType: "Role",
                                mfaAuthenticated: true, invokedBy: "ecs-tasks.amazonaws.com", sourceIdentity: "alice",
                                sessionIssuerUserName: "R")

    static var stringFields: [WritableKeyPath<Principal, String?>] { [
        \.type, \.arn, \.principalId, \.accountId, \.accessKeyId, \.userName, \.sessionIssuerArn,
        \.sessionIssuerType, \.sessionIssuerUserName, \.invokedBy, \.sourceIdentity,
    ] }

    /// The fields share one box between copies: setting a field of a copy must leave the original as it was (value
    /// semantics), and the copy then differs from it in that field only.
    @Test(arguments: 0..<11)
    func settingAFieldOfACopyLeavesTheOriginal(fieldIndex: Int) {
        #expect(Self.stringFields.count == 11)
        let field = Self.stringFields[fieldIndex]
        let original = Self.full
        var copy = original
        #expect(copy == original)
        copy[keyPath: field] = "changed"
        #expect(copy[keyPath: field] == "changed")
        #expect(original[keyPath: field] != "changed")
        #expect(copy != original)
        for other in Self.stringFields where other != field { #expect(copy[keyPath: other] == original[keyPath: other]) }
        #expect(copy.mfaAuthenticated == original.mfaAuthenticated)
        copy[keyPath: field] = original[keyPath: field]
        #expect(copy == original)
        #expect(copy.hashValue == original.hashValue)
    }

    /// Equality and hashing are those of the fields (what the synthesized conformance of the unboxed struct gave):
    /// equal when built separately from the same values, different when any one field differs.
    @Test func equalityAndHashingAreTheFields() {
        let again = Principal(type: "AssumedRole", arn: "arn:aws:sts::1:assumed-role/R/s", principalId: "AROA:s",
                              accountId: "1", accessKeyId: "ASIAEXAMPLE", userName: "u",
                              sessionIssuerArn: "arn:aws:iam::1:role/R", sessionIssuerType: "Role",
                              mfaAuthenticated: true, invokedBy: "ecs-tasks.amazonaws.com", sourceIdentity: "alice",
                              sessionIssuerUserName: "R")
        #expect(again == Self.full)
        #expect(again.hashValue == Self.full.hashValue)
        #expect(Set([again, Self.full]).count == 1)
        var mfa = Self.full
        mfa.mfaAuthenticated = false
        #expect(mfa != Self.full)
        mfa.mfaAuthenticated = nil
        #expect(mfa != Self.full)
        // nil and "" differ, as for the unboxed optional strings.
        var empty = Principal()
        empty.type = ""
        #expect(empty != Principal())
        #expect(Principal() == Principal())
    }
}

@Suite struct TimeExpressionTests {
    static let now = Instant(year: 2026, month: 11, day: 29, hour: 12)!

    @Test(arguments: [
        ("90m", "2026-11-29T10:30:00Z"), ("24h", "2026-11-28T12:00:00Z"), ("7d", "2026-11-22T12:00:00Z"),
        ("2w", "2026-11-15T12:00:00Z"), ("30s", "2026-11-29T11:59:30Z"),
        ("2026-11-28", "2026-11-28T00:00:00Z"), ("2026-11-28T10:00Z", "2026-11-28T10:00:00Z"),
        ("2026-11-28T10:00:05.25Z", "2026-11-28T10:00:05.250Z"), ("2026-11-28 10:00:00", "2026-11-28T10:00:00Z"),
        ("2026-11-28T10:00:00+02:00", "2026-11-28T08:00:00Z"),
    ])
    func parses(text: String, expected: String) throws {
        #expect(try TimeExpression.parse(text, now: Self.now).iso8601 == expected)
    }

    @Test(arguments: ["yesterday", "7x", "2026-13-01", "2026-11-28T25:00Z", ""])
    func rejects(text: String) {
        #expect(throws: TimeExpression.ParseError.self) { try TimeExpression.parse(text, now: Self.now) }
    }
}
