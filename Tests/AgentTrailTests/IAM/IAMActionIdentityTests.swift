import AgentTrailTestSupport
import Testing
@testable import AgentTrail

/// `IAMAction` compares, hashes and orders by its lowercased `prefix:name` (ASCII letters folded on bytes, anything else
/// by Unicode's rules), and the catalogue's `ActionIndex` finds actions by that identity: every identity must be the one
/// the lowercased text gives.
@Suite struct IAMActionIdentityTests {
    static func make(_ p: String, _ n: String) -> IAMAction { IAMAction(prefix: p, name: n) }

    @Test(arguments: [
        (("bedrock", "InvokeModel"), ("BEDROCK", "invokemodel"), true),
        (("bedrock-agentcore", "InvokeAgentRuntime"), ("Bedrock-AgentCore", "INVOKEAGENTRUNTIME"), true),
        (("s3", "GetObject"), ("s3", "GetObjects"), false),
        (("s3", "GetObject"), ("s3", "PutObject"), false),
        (("s3", "a@b"), ("s3", "a`b"), false),          // '@' and '`' differ by the case bit but are not letters
        (("s3", "a[b"), ("s3", "a{b"), false),
        (("a", "b:c"), ("a:b", "c"), true),              // the same `a:b:c`, split elsewhere
        (("s3", "\u{212A}ey"), ("s3", "KEY"), true),     // KELVIN SIGN lowercases to an ASCII k
        (("s3", "Straße"), ("S3", "STRAßE"), true),
        (("s3", "Straße"), ("s3", "strasse"), false),
        (("ec2", ""), ("ec2", ""), true),
    ])
    func sameIdentityAsTheLowercasedText(_ a: (String, String), _ b: (String, String), equal: Bool) {
        let x = Self.make(a.0, a.1), y = Self.make(b.0, b.1)
        let keyX = (a.0 + ":" + a.1).lowercased(), keyY = (b.0 + ":" + b.1).lowercased()
        #expect(x.normalized == keyX)
        #expect(y.normalized == keyY)
        #expect((keyX == keyY) == equal)
        #expect((x == y) == equal)
        #expect((y == x) == equal)
        if equal {
            #expect(x.hashValue == y.hashValue)
            #expect(Set([x, y]).count == 1)
            #expect([x: 1][y] == 1)
        }
        #expect((x < y) == (keyX < keyY))
        #expect((y < x) == (keyY < keyX))
    }

    /// `unshared()` makes a separate object that is the same action in every other respect (`UsageAccumulator` keeps
    /// such copies so that two workers do not retain one shared object per record).
    @Test(arguments: [("bedrock", "InvokeModel"), ("s3", "\u{212A}ey"), ("s3", "Straße"), ("ec2", "")])
    func anUnsharedCopyIsTheSameAction(_ parts: (String, String)) {
        let a = Self.make(parts.0, parts.1), b = a.unshared()
        #expect(!b.sharesStorage(with: a) && a.sharesStorage(with: a))
        #expect(a == b && b == a && a.hashValue == b.hashValue && !(a < b) && !(b < a))
        #expect(b.prefix == a.prefix && b.name == a.name && b.description == a.description && b.normalized == a.normalized)
        #expect([a: 1][b] == 1 && Set([a, b]).count == 1)
    }

    @Test func orderIsTheLowercasedTextOrder() {
        let names = [("s3", "GetObject"), ("S3", "getBucketAcl"), ("ec2", "DescribeInstances"), ("ec2-instance-connect", "Send"),
                     ("ec2", "describe_x"), ("Kms", "Decrypt"), ("s3", "Straße"), ("s3", "zeta"), ("s3", "Ärger"), ("a", "b:c")]
        let actions = names.map { Self.make($0.0, $0.1) }
        #expect(actions.sorted().map(\.normalized) == actions.map(\.normalized).sorted())
    }

    /// Seeded random actions over a few letters (so that keys share prefixes, differ in case or length, or are equal),
    /// some non-ASCII: `<` (bytes for ASCII keys) is the lowercased text's `String` order both ways.
    @Test func orderOfRandomKeysIsTheTextOrder() {
        var rng = SplitMix(0x6f72_6465_72)
        let letters = ["a", "B", "b", ":", "-", "z", "é", "Z", "0"]
        func word() -> String { (0..<Int.random(in: 0...6, using: &rng)).map { _ in letters.randomElement(using: &rng)! }.joined() }
        for _ in 0..<5_000 {
            let x = Self.make(word(), word()), y = Self.make(word(), word())
            #expect((x < y) == (x.normalized < y.normalized), "\(x) < \(y)")
            #expect((y < x) == (y.normalized < x.normalized), "\(y) < \(x)")
            #expect(!(x < x))
        }
    }

    @Test func globsMatchTheFoldedText() {
        let glob = Glob("bedrock:invoke*", caseInsensitive: true)
        #expect(Self.make("Bedrock", "InvokeModel").matches(caseInsensitive: glob))
        #expect(!Self.make("bedrock", "GetModel").matches(caseInsensitive: glob))
        #expect(Self.make("bedrock", "InvokeÄ").matches(caseInsensitive: glob))
    }

    /// The catalogue finds its actions through `ActionIndex` in any case, by text too, and nothing it lacks.
    @Test func catalogueLookupsIgnoreCase() {
        let catalogue = ActionCatalogue.shared
        #expect(catalogue.action(named: "BEDROCK:invokemodel")?.action.description == "bedrock:InvokeModel")
        #expect(catalogue.action(named: Self.make("s3", "getobject"))?.action.description == "s3:GetObject")
        #expect(catalogue.action(named: "s3:GetObjectX") == nil)
        #expect(catalogue.action(named: "s3:Get:Object") == nil)
        #expect(catalogue.action(named: "GetObject") == nil)
        #expect(!catalogue.contains(Self.make("s3", "Straße")))
        #expect(catalogue.expand(pattern: "S3:GETOBJECT").map(\.description) == ["s3:GetObject"])
    }
}
