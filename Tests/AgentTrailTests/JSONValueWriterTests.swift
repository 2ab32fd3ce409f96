import Foundation
import Testing
@testable import AgentTrail

/// `JSONValue.serialized` writes UTF-8 bytes; it must give the text the string-appending writer gave (kept here as the
/// oracle), compact and pretty, for seeded random trees with escapes, controls, bidi marks, non-ASCII text and
/// numbers of every kind; `serializedLine` is the same plus one line break.
@Suite struct JSONValueWriterTests {
    /// The writer before the byte buffer, as it was.
    static func oracle(_ v: JSONValue, pretty: Bool, indent: Int = 0) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d):
            guard d.isFinite else { return "null" }
            let r = (d * 1000).rounded() / 1000
            return r == r.rounded() && abs(r) < 1e15 ? String(Int(r)) : String(r)
        case .string(let s): return Escaping.jsonStringByScalars(s)
        case .array(let items):
            if items.isEmpty { return "[]" }
            var out = "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                if pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
                out += oracle(item, pretty: pretty, indent: indent + 1)
            }
            if pretty { out += "\n" + String(repeating: "  ", count: indent) }
            return out + "]"
        case .object(let pairs):
            if pairs.isEmpty { return "{}" }
            var out = "{"
            for (i, (k, item)) in pairs.enumerated() {
                if i > 0 { out += "," }
                if pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
                out += Escaping.jsonStringByScalars(k) + (pretty ? ": " : ":")
                out += oracle(item, pretty: pretty, indent: indent + 1)
            }
            if pretty { out += "\n" + String(repeating: "  ", count: indent) }
            return out + "}"
        }
    }

    struct Generator {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        static let pieces = ["a", "Z", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{0}", "\u{1F}", "\u{7F}", "\u{85}",
                             "\u{202E}", "\u{200F}", "\u{2028}", "é", "日本", "🙂", "arn:aws:iam::1:role/x", "{", "]"]
        mutating func string() -> String {
            var s = ""
            for _ in 0..<next(12) { s += Generator.pieces[next(Generator.pieces.count)] }
            return s
        }
        mutating func value(depth: Int) -> JSONValue {
            switch depth > 3 ? next(5) : next(8) {
            case 0: return .null
            case 1: return .bool(next(2) == 0)
            case 2: return .int(next(2) == 0 ? next(1_000_000) : -next(1_000))
            case 3: return .double([0.1, 1.0 / 3, 2.5, -7.0, 1e20, .infinity, .nan, 123.4567][next(8)])
            case 4: return .string(string())
            case 5: return .array((0..<next(5)).map { _ in value(depth: depth + 1) })
            default: return .object((0..<next(5)).map { _ in (string(), value(depth: depth + 1)) })
            }
        }
    }

    @Test func bytesReadAsTheStringWriter() {
        var g = Generator(state: 42)
        var nonPlain = 0
        for _ in 0..<600 {
            let v = g.value(depth: 0)
            for pretty in [false, true] {
                let text = v.serialized(pretty: pretty)
                #expect(text == Self.oracle(v, pretty: pretty))
                #expect(v.serializedLine(pretty: pretty) == text + "\n")
                if text.utf8.contains(where: { $0 >= 0x80 || $0 == 0x5C }) { nonPlain += 1 }
            }
        }
        #expect(nonPlain > 100)
    }

    /// Compact output parses back (Foundation's reader) to the same strings and numbers.
    @Test func compactOutputParses() throws {
        let v = JSONValue.object([("k\"ey\n", .array([.string("a\u{202E}b"), .int(-3), .bool(true), .null])),
                                  ("日本", .object([("x", .double(2.5))]))])
        let parsed = try JSONSerialization.jsonObject(with: Data(v.serialized().utf8)) as? [String: Any]
        let list = try #require(parsed?["k\"ey\n"] as? [Any])
        #expect(list[0] as? String == "a\u{202E}b" && list[1] as? Int == -3 && list[2] as? Bool == true)
        #expect((parsed?["日本"] as? [String: Any])?["x"] as? Double == 2.5)
    }
}
