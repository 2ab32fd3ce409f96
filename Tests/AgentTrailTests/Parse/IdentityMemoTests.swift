import AgentTrailTestSupport
import Testing
@testable import AgentTrail

/// The identity memo's packed storage: fields come back exactly as scanned, objects too long to pack are not stored
/// (and looking them up misses), and principals of both kinds are kept apart per entry.
struct IdentityMemoTests {
    /// Scans `json` (a `userIdentity` object) and stores it at offset `at` of a buffer; returns the memo's view.
    private static func scanned(_ json: String, at offset: Int = 7) throws -> (bytes: [UInt8], fields: IdentityFields, end: Int) {
        let bytes = [UInt8](repeating: 0x20, count: offset) + Array(json.utf8)
        var fields = IdentityFields()
        var end = 0
        try bytes.withUnsafeBufferPointer { b in try fields.scan(b.baseAddress!, offset, b.count, end: &end) }
        return (bytes, fields, end)
    }

    private static func spans(_ f: IdentityFields) -> [[Int]] {
        [f.type, f.arn, f.principalId, f.accountId, f.accessKeyId, f.userName, f.invokedBy, f.sourceIdentity, f.issuerArn,
         f.issuerType, f.issuerUserName, f.mfaAuthenticated, f.sessionSourceIdentity].map { [$0.start, $0.end] }
    }

    @Test(arguments: [
        #"{"type":"AssumedRole","principalId":"AROA:s","arn":"arn:aws:sts::1:assumed-role/R/s","accountId":"1","accessKeyId":"ASIA1","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROA","arn":"arn:aws:iam::1:role/R","accountId":"1","userName":"R"},"attributes":{"creationDate":"2026-01-01T00:00:00Z","mfaAuthenticated":"false"},"sourceIdentity":"alice"}}"#,
        #"{"type":"AWSService","invokedBy":"bedrock.amazonaws.com"}"#,
        #"{"type":"IAMUser","userName":"bob","arn":"arn:aws:iam::1:user/bob","accountId":"1","principalId":"AIDA","accessKeyId":"AKIA"}"#,
    ])
    func packedFieldsRoundTrip(json: String) throws {
        let s = try Self.scanned(json)
        let memo = IdentityMemo()
        let id = s.bytes.withUnsafeBufferPointer { b in memo.insert(b.baseAddress!, 7, s.end, b.count, s.fields) }
        #expect(id == 0)
        // Looked up at another offset, the fields move with the object.
        let moved = try Self.scanned(json, at: 3)
        let hit = moved.bytes.withUnsafeBufferPointer { b in memo.lookup(b.baseAddress!, 3, b.count) }
        #expect(hit?.id == 0)
        #expect(hit?.length == s.end - 7)
        #expect(Self.spans(memo.fields(0, at: 3)) == Self.spans(moved.fields))
        #expect(Self.spans(memo.fields(0, at: 7)) == Self.spans(s.fields))
    }

    /// An object longer than 16-bit offsets can hold is scanned as usual but not stored.
    @Test func objectsTooLongToPackAreNotStored() throws {
        let long = #"{"type":"IAMUser","userName":""# + String(repeating: "x", count: PackedIdentityFields.maxLength) + #"","accountId":"1"}"#
        let s = try Self.scanned(long)
        let memo = IdentityMemo()
        let id = s.bytes.withUnsafeBufferPointer { b in memo.insert(b.baseAddress!, 7, s.end, b.count, s.fields) }
        #expect(id == -1)
        #expect(s.bytes.withUnsafeBufferPointer { b in memo.lookup(b.baseAddress!, 7, b.count) } == nil)
        // The next object still gets the first id.
        let short = try Self.scanned(#"{"type":"Root","accountId":"1"}"#)
        #expect(short.bytes.withUnsafeBufferPointer { b in memo.insert(b.baseAddress!, 7, short.end, b.count, short.fields) } == 0)
    }

    @Test func principalsOfBothKindsKeptApart() throws {
        let memo = IdentityMemo()
        for (i, json) in [#"{"type":"Root","accountId":"1"}"#, #"{"type":"Root","accountId":"2"}"#].enumerated() {
            let s = try Self.scanned(json)
            #expect(s.bytes.withUnsafeBufferPointer { b in memo.insert(b.baseAddress!, 7, s.end, b.count, s.fields) } == i)
        }
        #expect(memo.principal(1, detailed: false) == nil)
        memo.setPrincipal(1, detailed: true, Principal(type: "Root", arn: "detailed"))
        #expect(memo.principal(1, detailed: false) == nil)
        memo.setPrincipal(1, detailed: false, Principal(type: "Root", arn: "core"))
        memo.setPrincipal(0, detailed: false, Principal(type: "Root", arn: "zero"))
        memo.setPrincipal(1, detailed: false, Principal(type: "Root", arn: "core again"))
        #expect(memo.principal(1, detailed: true)?.arn == "detailed")
        #expect(memo.principal(1, detailed: false)?.arn == "core again")
        #expect(memo.principal(0, detailed: false)?.arn == "zero")
        #expect(memo.principal(0, detailed: true) == nil)
    }
}
