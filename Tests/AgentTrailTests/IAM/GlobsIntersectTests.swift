import AgentTrailTestSupport
import Testing
@testable import AgentTrail

/// `ActionCatalogue.globsIntersect` (does some string match both globs?) against a subset construction: each glob
/// read as an automaton whose state is the set of glob positions reached, both read together one character at a
/// time (every character either glob names, and one neither does), until both accept or no new pair of sets is met.
@Suite("Glob intersection")
struct GlobsIntersectTests {
    static let table: [(String, String, Bool)] = [
        ("", "", true), ("", "*", true), ("*", "*", true), ("a", "", false), ("a", "a", true), ("a", "b", false),
        ("?", "a", true), ("?", "", false), ("a*", "*b", true), ("a*", "b*", false), ("*a", "*b", false),
        ("a?c", "*c", true), ("a?c", "ab", false), ("**", "a", true), ("a*b*c", "*bc*", true), ("a*a", "a", false),
        ("table/*", "table/T", true), ("table/*", "index/*", false), ("bucket/*", "*", true),
        ("foundation-model/*", "foundation-model/${ModelId}", true), ("runtime/r-1", "runtime/*", true),
        ("runtime/r-1", "runtime/*/endpoint/*", false), ("*/endpoint/*", "runtime/*", true),
    ]

    @Test(arguments: table)
    func knownPairs(_ a: String, _ b: String, _ expected: Bool) {
        #expect(ActionCatalogue.globsIntersect(Array(a.utf8), Array(b.utf8)) == expected, "\(a) ∩ \(b)")
        #expect(ActionCatalogue.globsIntersect(Array(b.utf8), Array(a.utf8)) == expected, "\(b) ∩ \(a)")
        #expect(Self.bySubsets(Array(a.utf8), Array(b.utf8)) == expected, "oracle: \(a) ∩ \(b)")
    }

    /// Seeded random globs over `a`, `b`, `*`, `?` (lengths 0–9) against the subset construction.
    @Test func randomPairsAgreeWithSubsets() {
        var rng = SplitMix(0x61_6c_6f_62)
        let alphabet: [UInt8] = Array("ab*?".utf8)
        var intersecting = 0
        for _ in 0..<3_000 {
            let a = (0..<Int.random(in: 0...9, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            let b = (0..<Int.random(in: 0...9, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            let expected = Self.bySubsets(a, b)
            if expected { intersecting += 1 }
            #expect(ActionCatalogue.globsIntersect(a, b) == expected,
                    "\(String(decoding: a, as: UTF8.self)) ∩ \(String(decoding: b, as: UTF8.self))")
        }
        // (Both answers are well represented, so neither a constant true nor a constant false passes.)
        #expect(intersecting > 600 && intersecting < 2_400, "\(intersecting) of 3,000 intersect")
    }

    /// Long globs (an ARN pattern of 2,000 characters against a template): answered, both ways.
    @Test func longGlobs() {
        let long = Array(String(repeating: "ab", count: 1_000).utf8)
        #expect(ActionCatalogue.globsIntersect(long, Array("a*b".utf8)))
        #expect(!ActionCatalogue.globsIntersect(long, Array("b*".utf8)))
        #expect(ActionCatalogue.globsIntersect(long + Array("*".utf8), long + Array("?x".utf8)))
    }

    static func bySubsets(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        let star = UInt8(ascii: "*"), any = UInt8(ascii: "?")
        // (Positions as bits: globs here are shorter than 64.)
        func closure(_ g: [UInt8], _ set: UInt64) -> UInt64 {
            var set = set
            for p in g.indices where set & (1 << UInt64(p)) != 0 && g[p] == star { set |= 1 << UInt64(p + 1) }
            return set
        }
        func step(_ g: [UInt8], _ set: UInt64, _ c: UInt8) -> UInt64 {
            var next: UInt64 = 0
            for p in g.indices where set & (1 << UInt64(p)) != 0 {
                if g[p] == star { next |= 1 << UInt64(p) } else if g[p] == any || g[p] == c { next |= 1 << UInt64(p + 1) }
            }
            return closure(g, next)
        }
        let characters = Set(a + b).subtracting([star, any]).union([0x01])
        var seen = Set<[UInt64]>()
        var queue = [[closure(a, 1), closure(b, 1)]]
        while let pair = queue.popLast() {
            guard pair[0] != 0, pair[1] != 0, seen.insert(pair).inserted else { continue }
            if pair[0] & (1 << UInt64(a.count)) != 0 && pair[1] & (1 << UInt64(b.count)) != 0 { return true }
            for c in characters { queue.append([step(a, pair[0], c), step(b, pair[1], c)]) }
        }
        return false
    }
}
