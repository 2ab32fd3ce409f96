import Testing
@testable import AgentTrail

/// `ARN` reads ASCII text on its bytes; every text must give what the Character-based reading gives (kept here as the
/// oracle): for ASCII the same places are colons and slashes, and anything else goes the Character way.
@Suite struct ARNParsingTests {
    /// The reading before the byte path: split at colons (Characters), resource type and name by Character search.
    struct Oracle: Equatable {
        var parts: [String]?
        var type: String?
        var name: String?

        init(_ text: String) {
            let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            guard parts.count == 6, parts[0] == "arn" else { return }
            self.parts = parts.dropFirst().map(String.init)
            let resource = String(parts[5])
            if let i = resource.firstIndex(where: { $0 == "/" || $0 == ":" }) { type = String(resource[..<i]) } else { type = "" }
            if let i = resource.lastIndex(where: { $0 == "/" || $0 == ":" }) {
                name = String(resource[resource.index(after: i)...])
            } else {
                name = resource
            }
        }

        init(_ arn: ARN?) {
            guard let arn else { return }
            parts = [arn.partition, arn.service, arn.region, arn.account, arn.resource]
            type = arn.resourceType
            name = arn.resourceName
        }
    }

    @Test(arguments: [
        "arn:aws:iam::111122223333:role/path/MyRole",
        "arn:aws:sts::111122223333:assumed-role/MyRole/session-1",
        "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3:0",
        "arn:aws:s3:::bucket/key:with:colons/and/slashes",
        "arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:", "arn:aws:iam::111122223333",
        "arn:aws:::::", "ARN:aws:iam::1:role/x", "arnx:aws:iam::1:role/x", ":arn:aws:iam::1:role/x", "", "arn",
        "arn:aws:iam::1:role/a\r\nb", "arn:aws:iam::1:role/\r\n:x",
        "arn:aws:iam::1:role/Ångström", "arn:aws:iam::1:rôle/x", "arn:aws:iam::1:role/a:\u{301}b",  // combining acute after a colon
        "arn:aws:iam:\u{301}:1:role/x", "arn\u{301}:aws:iam::1:role/x", "arn:aws:iam::1:role/a/\u{301}b",
        "arn:aws:iam::1:role/\u{212A}", "arn:aws:iam::1:role//", "arn:aws:iam::1:role:", "arn:aws:iam::1:/",
    ])
    func readsAsTheCharacterSplit(_ text: String) {
        #expect(Oracle(ARN(text)) == Oracle(text), "\(text.debugDescription)")
        #expect(Oracle(ARN(text[...])) == Oracle(text), "substring \(text.debugDescription)")
    }

    /// Seeded random texts over an alphabet of colons, slashes, letters, CR/LF and a few non-ASCII scalars
    /// (combining marks among them), most starting with `arn:`.
    @Test func randomTextsReadAsTheCharacterSplit() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        let alphabet: [String] = [":", ":", ":", "/", "/", "a", "r", "n", "x", "1", "-", "\r", "\n", "\u{301}", "é", "\u{212A}", " "]
        var checked = 0, parsed = 0
        for _ in 0..<4_000 {
            var text = next(4) == 0 ? "" : "arn:"
            for _ in 0..<next(24) { text += alphabet[next(alphabet.count)] }
            let oracle = Oracle(text)
            #expect(Oracle(ARN(text)) == oracle, "\(text.debugDescription)")
            checked += 1
            if oracle.parts != nil { parsed += 1 }
        }
        #expect(checked == 4_000 && parsed > 300)
    }
}
