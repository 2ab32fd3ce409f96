import Foundation
import Testing
@testable import AgentTrail

/// `ModelIdExtractor.modelId(from:)` on valid request parameters against an independent reader (Foundation's
/// `JSONSerialization`): the top-level `modelId` string, else the top-level `model` string, else nil. The objects are
/// seeded: keys in any order, escaped keys (`model\u0049d` is `modelId`), escaped values, keys that only start like
/// the wanted one, nested objects and arrays holding the same keys and strings with brackets, quotes and backslashes.
@Suite struct ModelIdExtractorOracleTests {
    struct Rng {
        var x: UInt64
        mutating func next(_ n: Int) -> Int {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17
            return Int(x % UInt64(n))
        }
    }

    static let plainStrings = ["anthropic.claude-3", "", "x", "a}b]c{d[", "say \\\"hi\\\"", "back\\\\slash", "\\u00e9t\\u00e9",
                               "tab\\there", "arn:aws:bedrock:us-east-1::foundation-model/meta.llama3", "\\ud83d\\ude00"]
    static let keys = ["modelId", "model", "model\\u0049d", "mode\\u006c", "modelIdx", "mod", "accept", "body", "m\\\\odel",
                       "modelid", "modelIX", "mode1", "Model"]

    static func value(_ r: inout Rng, depth: Int) -> String {
        switch r.next(depth > 2 ? 4 : 7) {
        case 0: return "\"" + plainStrings[r.next(plainStrings.count)] + "\""
        case 1: return ["0", "-1.5e3", "12"][r.next(3)]
        case 2: return ["true", "false", "null"][r.next(3)]
        case 3: return "\"" + plainStrings[r.next(plainStrings.count)] + "\""
        case 4, 5: return object(&r, depth: depth + 1)
        default:
            let n = r.next(4)
            return "[" + (0..<n).map { _ in value(&r, depth: depth + 1) }.joined(separator: r.next(2) == 0 ? "," : " , ") + "]"
        }
    }

    static func object(_ r: inout Rng, depth: Int) -> String {
        let n = depth == 0 ? 1 + r.next(5) : r.next(6)
        let members = (0..<n).map { _ in
            "\"" + keys[r.next(keys.count)] + "\"" + (r.next(2) == 0 ? ":" : " : ") + value(&r, depth: depth)
        }
        return "{" + members.joined(separator: r.next(2) == 0 ? "," : ",\n ") + "}"
    }

    static func expected(_ json: String) throws -> String? {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        if let id = object["modelId"] as? String { return id }
        return object["model"] as? String
    }

    @Test(arguments: 0..<8)
    func agreesWithJSONSerialization(seed: Int) throws {
        var r = Rng(x: 0x9E37_79B9_7F4A_7C15 &+ UInt64(seed) &* 0x1000_0000_01B3)
        var checked = 0, found = 0
        for _ in 0..<400 {
            let json = Self.object(&r, depth: 0)
            guard (try? JSONSerialization.jsonObject(with: Data(json.utf8))) != nil else { continue }
            // (A JSON object with a key twice: readers differ on which counts; not compared.)
            if Self.duplicated(json) { continue }
            let want = try Self.expected(json)
            #expect(ModelIdExtractor.modelId(from: RawJSON(json)) == want, "\(json)")
            checked += 1
            if want != nil { found += 1 }
        }
        #expect(checked > 150 && found > 20, "checked \(checked), with a model id \(found)")
    }

    /// True when a top-level key occurs twice (decoded), which `JSONSerialization` and the scanner may resolve
    /// differently.
    static func duplicated(_ json: String) -> Bool {
        // The top level's keys, found by a small walk and decoded one by one.
        var depth = 0, inString = false, escaped = false, keyStart: String.Index?
        var names: [String] = []
        var expectKey = true
        var i = json.startIndex
        while i < json.endIndex {
            let c = json[i]
            if inString {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" {
                    inString = false
                    if depth == 1, expectKey, let s = keyStart {
                        let raw = "\"" + String(json[json.index(after: s)..<i]) + "\""
                        if let name = try? JSONSerialization.jsonObject(with: Data(raw.utf8), options: .fragmentsAllowed) as? String {
                            names.append(name)
                        }
                    }
                }
            } else if c == "\"" {
                inString = true; keyStart = i
            } else if c == "{" || c == "[" { depth += 1; if depth == 1 { expectKey = true } }
            else if c == "}" || c == "]" { depth -= 1 }
            else if c == ":" && depth == 1 { expectKey = false }
            else if c == "," && depth == 1 { expectKey = true }
            i = json.index(after: i)
        }
        return Set(names).count != names.count
    }
}
