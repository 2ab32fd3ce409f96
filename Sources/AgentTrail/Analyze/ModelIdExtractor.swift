/// Pulls the top-level `"modelId"` string out of a record's `requestParameters` bytes without decoding the
/// whole object: a small, exact scan that skips nested values and strings (with their escapes). bedrock-mantle
/// names the model `model` (OpenAI/Anthropic request field); that key is read when `modelId` is absent.
public enum ModelIdExtractor {
    /// The top-level `modelId` (else `model`) string value, or nil when absent, not a string, or the JSON is malformed.
    public static func modelId(from json: RawJSON?) -> String? {
        guard let json else { return nil }
        return json.bytes.withUnsafeBufferPointer { buf -> String? in
            var s = Scanner(bytes: buf)
            if let id = s.topLevelString(forKey: Array("modelId".utf8)) { return id }
            var t = Scanner(bytes: buf)
            return t.topLevelString(forKey: Array("model".utf8))
        }
    }

    /// A comparable model id: a foundation-model ARN (`arn:aws:bedrock:us-east-1::foundation-model/anthropic.x`)
    /// becomes its bare id (`anthropic.x`); everything else (inference profiles, custom model ARNs) is kept.
    public static func normalized(_ modelId: String) -> String {
        let marker = ":foundation-model/"
        if modelId.hasPrefix("arn:"), let r = modelId.range(of: marker) {
            return String(modelId[r.upperBound...])
        }
        return modelId
    }

    /// `NewModelDetector.modelId(of:)` with a memo keyed by the raw bytes of the `modelId` string (quotes and
    /// escapes included): a repeated model id is found, but not decoded and normalized again. Exact: the memo
    /// holds what decoding those bytes gives, and a `modelId` that is not a string or does not decode goes on to
    /// `model`, as the uncached path does. One per worker (not thread-safe).
    struct Cache {
        /// What a string's bytes decode to: the id (nil when empty), or `undecodable` (a bad escape).
        private enum Decoded { case id(String?), undecodable }
        private var table = SpanTable<Decoded>(limit: 1 << 12)
        private static let key = Array("modelId".utf8)
        private static let mantleKey = Array("model".utf8)

        mutating func modelId(of record: CloudTrailRecord) -> String? {
            guard NewModelDetector.isModelInvocation(record), let json = record.requestParameters else { return nil }
            return json.bytes.withUnsafeBufferPointer { buf -> String? in
                // (`modelId` first; when it is absent, not a string or not decodable, `model`.)
                if case .id(let id)? = decoded(buf, Cache.key) { return id }
                if case .id(let id)? = decoded(buf, Cache.mantleKey) { return id }
                return nil
            }
        }

        /// The top-level string value of `key` decoded through the memo; nil when absent or not a string.
        private mutating func decoded(_ buf: UnsafeBufferPointer<UInt8>, _ key: [UInt8]) -> Decoded? {
            var s = Scanner(bytes: buf)
            guard s.topLevelValue(forKey: key), buf[s.i] == UInt8(ascii: "\""), let base = buf.baseAddress else { return nil }
            let start = s.i
            guard let close = JSONScan.stringEnd(base, start + 1, buf.count) else { return .undecodable }
            return table.lookup(base, start, close + 1) {
                var t = Scanner(bytes: buf)
                t.i = start
                guard let bytes = t.readString() else { return .undecodable }
                let id = String(decoding: bytes, as: UTF8.self)
                return .id(id.isEmpty ? nil : ModelIdExtractor.normalized(id))
            }.value
        }
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var i = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func skipWhitespace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
        }

        mutating func topLevelString(forKey key: [UInt8]) -> String? {
            guard topLevelValue(forKey: key), bytes[i] == UInt8(ascii: "\"") else { return nil }
            return readString().map { String(decoding: $0, as: UTF8.self) }
        }

        /// Moves `i` to the first byte of the top-level value of `key`; false when absent or malformed before it.
        mutating func topLevelValue(forKey key: [UInt8]) -> Bool {
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { return false }
            i += 1
            skipWhitespace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { return false }
            while true {
                skipWhitespace()
                // (A key without a backslash is compared where it is; only an escaped one is decoded first.)
                let found: Bool
                if let raw = plainString() {
                    found = raw.count == key.count && bytes[raw].elementsEqual(key)
                } else {
                    guard let k = readString() else { return false }
                    found = k == key
                }
                skipWhitespace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return false }
                i += 1
                skipWhitespace()
                guard i < bytes.count else { return false }
                if found { return true }
                guard skipValue() else { return false }
                skipWhitespace()
                guard i < bytes.count else { return false }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                return false // `}` (key not found) or malformed
            }
        }

        /// The bytes between the quotes of the string at `i` when it holds no backslash (it then decodes to them, as
        /// `readString` would give them), moving `i` past it; nil, with `i` unchanged, for any other string (escaped,
        /// unterminated) or when `i` is not at a string. Reading keys and skipped strings through `readString` made an
        /// array of each (~1,200 instructions a record for the model id, asked by two detectors).
        mutating func plainString() -> Range<Int>? {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
            var k = i + 1
            while k < bytes.count {
                let b = bytes[k]
                if b == UInt8(ascii: "\"") {
                    let r = (i + 1)..<k
                    i = k + 1
                    return r
                }
                if b == UInt8(ascii: "\\") { return nil }
                k += 1
            }
            return nil
        }

        /// Reads a JSON string at `i` (which must be `"`), returning its decoded UTF-8 bytes.
        mutating func readString() -> [UInt8]? {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
            i += 1
            var out: [UInt8] = []
            while i < bytes.count {
                let b = bytes[i]
                if b == UInt8(ascii: "\"") { i += 1; return out }
                if b != UInt8(ascii: "\\") { out.append(b); i += 1; continue }
                i += 1
                guard i < bytes.count else { return nil }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard var scalar = readHex4() else { return nil }
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else { return nil }
                        i += 2
                        guard let low = readHex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        return nil
                    }
                    guard let u = Unicode.Scalar(scalar) else { return nil }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default: return nil
                }
            }
            return nil
        }

        mutating func readHex4() -> UInt32? {
            guard i + 4 <= bytes.count else { return nil }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[i]
                let d: UInt32
                switch b {
                case 48...57: d = UInt32(b - 48)
                case 97...102: d = UInt32(b - 87)
                case 65...70: d = UInt32(b - 55)
                default: return nil
                }
                v = v << 4 | d
                i += 1
            }
            return v
        }

        /// Skips one JSON value at `i`; false when malformed.
        mutating func skipValue() -> Bool {
            guard i < bytes.count else { return false }
            switch bytes[i] {
            case UInt8(ascii: "\""):
                return plainString() != nil || readString() != nil
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while i < bytes.count {
                    let b = bytes[i]
                    if b == UInt8(ascii: "\"") {
                        guard plainString() != nil || readString() != nil else { return false }
                        continue
                    }
                    if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") { depth += 1 }
                    if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") {
                        depth -= 1
                        if depth == 0 { i += 1; return true }
                    }
                    i += 1
                }
                return false
            default:
                // number or literal: up to the next delimiter
                let start = i
                while i < bytes.count {
                    let b = bytes[i]
                    if b == UInt8(ascii: ",") || b == UInt8(ascii: "}") || b == UInt8(ascii: "]") || b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { break }
                    i += 1
                }
                return i > start
            }
        }
    }
}
