/// A reader for the JSON that policy files almost always are — ASCII, integers only, no `\u` escapes, no duplicate
/// keys — which returns exactly what `JSONDecoder` makes of it (`PolicyJSON.init(from:)`), and declines anything else
/// (nil), which `PolicyJSON.parse` then gives to `JSONDecoder`: its value, or its error message, as before.
///
/// (`JSONDecoder` with `PolicyJSON`'s try-each-type initializer cost ~700 instructions per byte of policy: 76 M of a
/// real-shaped scan's start-up for 108 KB of policies. `PolicyJSONPlainTests` checks this reader against
/// `JSONDecoder` on every policy fixture and on thousands of mutations of them.)
enum PolicyJSONPlain {
    /// Deeper documents are declined (`JSONDecoder` has its own depth limit and error).
    static let maxDepth = 64
    /// Longer integers are declined (Int64 holds every 18-digit integer).
    static let maxDigits = 18

    /// The value of `bytes`, or nil when they are not plain JSON as described above (including any syntax error).
    static func parse(_ bytes: UnsafeRawBufferPointer) -> PolicyJSON? {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        var r = Reader(p: base, n: bytes.count)
        guard let value = r.value(depth: 0) else { return nil }
        r.skipSpace()
        return r.i == r.n ? value : nil
    }

    private struct Reader {
        let p: UnsafePointer<UInt8>
        let n: Int
        var i = 0

        init(p: UnsafePointer<UInt8>, n: Int) {
            self.p = p
            self.n = n
        }

        mutating func skipSpace() {
            while i < n, p[i] == 0x20 || p[i] == 0x0A || p[i] == 0x0D || p[i] == 0x09 { i += 1 }
        }

        mutating func value(depth: Int) -> PolicyJSON? {
            skipSpace()
            guard i < n else { return nil }
            switch p[i] {
            case UInt8(ascii: "{"): return depth < PolicyJSONPlain.maxDepth ? object(depth: depth + 1) : nil
            case UInt8(ascii: "["): return depth < PolicyJSONPlain.maxDepth ? array(depth: depth + 1) : nil
            case UInt8(ascii: "\""): return string().map(PolicyJSON.string)
            case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
            case UInt8(ascii: "n"): return literal("null") ? .null : nil
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return integer()
            default: return nil
            }
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let k = word.utf8CodeUnitCount
            guard n - i >= k else { return false }
            for j in 0..<k where p[i + j] != word.utf8Start[j] { return false }
            i += k
            // (A letter or digit right after `true` is a syntax error JSONDecoder reports: declined.)
            if i < n, Self.isWordByte(p[i]) { return false }
            return true
        }

        static func isWordByte(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2E || b == 0x2B
                || b == 0x2D || b == 0x5F
        }

        /// `-?(0|[1-9][0-9]*)`, at most `maxDigits` digits, not followed by a fraction or an exponent.
        mutating func integer() -> PolicyJSON? {
            var negative = false
            if p[i] == UInt8(ascii: "-") {
                negative = true
                i += 1
            }
            let digitsStart = i
            var v: Int64 = 0
            while i < n, p[i] >= 0x30, p[i] <= 0x39 {
                // (Counted before the digit is added: a 19th digit could overflow Int64.)
                if i - digitsStart == PolicyJSONPlain.maxDigits { return nil }
                v = v * 10 + Int64(p[i] - 0x30)
                i += 1
            }
            let digits = i - digitsStart
            guard digits > 0, !(digits > 1 && p[digitsStart] == 0x30) else { return nil }
            if i < n, Self.isWordByte(p[i]) { return nil }  // (`1.5`, `1e3`, `12abc`: declined)
            let value = negative ? -v : v
            return .number(Double(value), text: String(value))
        }

        /// A string of printable ASCII with the two-character escapes; nil for anything else (`\u`, control
        /// characters, non-ASCII bytes, an unterminated string).
        mutating func string() -> String? {
            i += 1  // opening quote
            let start = i
            var plain = true
            while i < n {
                let b = p[i]
                if b == UInt8(ascii: "\"") { break }
                if b < 0x20 || b >= 0x80 { return nil }
                if b == UInt8(ascii: "\\") {
                    plain = false
                    guard i + 1 < n else { return nil }
                    switch p[i + 1] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                         UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        i += 2
                        continue
                    default:
                        return nil
                    }
                }
                i += 1
            }
            guard i < n else { return nil }
            let end = i
            i += 1  // closing quote
            if plain { return String(decoding: UnsafeBufferPointer(start: p + start, count: end - start), as: UTF8.self) }
            var out: [UInt8] = []
            out.reserveCapacity(end - start)
            var j = start
            while j < end {
                let b = p[j]
                if b != UInt8(ascii: "\\") {
                    out.append(b)
                    j += 1
                    continue
                }
                switch p[j + 1] {
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                default: out.append(p[j + 1])  // `"`, `\`, `/`
                }
                j += 2
            }
            return String(decoding: out, as: UTF8.self)
        }

        /// After an element or member: true at `,` (another follows), false at `close` (consumed: the end), nil at
        /// anything else.
        mutating func next(_ close: UInt8) -> Bool? {
            skipSpace()
            guard i < n else { return nil }
            if p[i] == UInt8(ascii: ",") {
                i += 1
                return true
            }
            guard p[i] == close else { return nil }
            i += 1
            return false
        }

        mutating func array(depth: Int) -> PolicyJSON? {
            i += 1
            var items: [PolicyJSON] = []
            skipSpace()
            if i < n, p[i] == UInt8(ascii: "]") {
                i += 1
                return .array(items)
            }
            while true {
                guard let v = value(depth: depth) else { return nil }
                items.append(v)
                guard let more = next(UInt8(ascii: "]")) else { return nil }
                if !more { return .array(items) }
            }
        }

        mutating func object(depth: Int) -> PolicyJSON? {
            i += 1
            var members: [String: PolicyJSON] = [:]
            skipSpace()
            if i < n, p[i] == UInt8(ascii: "}") {
                i += 1
                return .object(members)
            }
            while true {
                skipSpace()
                guard i < n, p[i] == UInt8(ascii: "\""), let key = string() else { return nil }
                skipSpace()
                guard i < n, p[i] == UInt8(ascii: ":") else { return nil }
                i += 1
                guard let v = value(depth: depth) else { return nil }
                // (A repeated key: which one JSONDecoder keeps is its business; declined.)
                guard members.updateValue(v, forKey: key) == nil else { return nil }
                guard let more = next(UInt8(ascii: "}")) else { return nil }
                if !more { return .object(members) }
            }
        }
    }
}
