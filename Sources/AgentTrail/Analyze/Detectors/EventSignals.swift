import Foundation

/// Small, allocation-light helpers shared by the detectors in this folder.
enum EventSignals {
    /// True when `raw` (a JSON object's bytes) contains `"key"` followed by optional whitespace, `:`,
    /// optional whitespace and then exactly the bytes of `literal` (e.g. `true`, or `"No"` with its quotes).
    /// A byte scan, not a JSON parser: good enough for flat, unescaped keys such as `callWithBearerToken`.
    static func raw(_ raw: RawJSON?, key: StaticString, hasLiteral literal: StaticString) -> Bool {
        guard let bytes = raw?.bytes, !bytes.isEmpty else { return false }
        // (No allocation: the key and literal are compared in place; the key is matched between quotes.)
        let k = UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
        let value = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        let quote = UInt8(ascii: "\"")
        let needleCount = k.count + 2
        let n = bytes.count
        var i = 0
        while i + needleCount <= n {
            if bytes[i] == quote, matches(bytes, at: i + 1, k), bytes[i + 1 + k.count] == quote {
                var j = i + needleCount
                while j < n, isSpace(bytes[j]) { j += 1 }
                if j < n, bytes[j] == UInt8(ascii: ":") {
                    j += 1
                    while j < n, isSpace(bytes[j]) { j += 1 }
                    if j + value.count <= n, matches(bytes, at: j, value) {
                        let end = j + value.count
                        // A bare literal (`true`) must not run on into another token (`trueish`).
                        if value.first == quote || end == n || !isWordByte(bytes[end]) { return true }
                    }
                }
                i += needleCount
            } else {
                i += 1
            }
        }
        return false
    }

    /// `text.contains(needle)` for an ASCII `needle`: a byte search when `text` is ASCII too (then identical to
    /// Foundation's search, without its cost), Foundation otherwise.
    static func contains(_ text: String, _ needle: StaticString) -> Bool {
        let n = needle.utf8CodeUnitCount
        var text = text
        let answer: Bool? = text.withUTF8 { t -> Bool? in
            var ascii: UInt8 = 0
            for b in t { ascii |= b }
            guard ascii < 0x80 else { return nil }
            if n == 0 { return true }
            guard t.count >= n else { return false }
            let first = needle.utf8Start[0]
            var i = 0
            while i &+ n <= t.count {
                if t[i] == first && memcmp(t.baseAddress! + i, needle.utf8Start, n) == 0 { return true }
                i &+= 1
            }
            return false
        }
        return answer ?? text.contains(needle.description)
    }

    private static func matches(_ bytes: [UInt8], at start: Int, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        for k in 0..<needle.count where bytes[start + k] != needle[k] { return false }
        return true
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    private static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }

    /// True when `ip` is trusted for `principal`: global trusted CIDRs, the principal's config rules, or the
    /// `aws:SourceIp` CIDRs of its policies.
    static func isTrusted(_ ip: IPAddress, principal: String, context: AnalysisContext) -> Bool {
        if context.config.trustedCIDRs.contains(where: { $0.contains(ip) }) { return true }
        for rule in context.config.rules(for: principal) where rule.trustedCIDRs.contains(where: { $0.contains(ip) }) {
            return true
        }
        if let info = context.policyInfo(for: principal), info.trustedCIDRs.contains(where: { $0.contains(ip) }) { return true }
        return false
    }

    /// One step down the severity scale (info stays info).
    static func lowered(_ s: Severity) -> Severity { Severity(rawValue: s.rawValue - 1) ?? .info }

    /// True for a 12-digit AWS account id.
    static func isAccountId(_ s: String?) -> Bool {
        guard let s, s.utf8.count == 12 else { return false }
        return s.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// `"a, b, c"` with at most `limit` items and a `+N more` tail.
    static func list(_ items: [String], limit: Int = 5) -> String {
        if items.count <= limit { return items.joined(separator: ", ") }
        return items.prefix(limit).joined(separator: ", ") + " +\(items.count - limit) more"
    }

    /// `1 call` / `3 calls`.
    static func plural(_ n: Int, _ word: String) -> String { n == 1 ? "1 \(word)" : "\(n) \(word)s" }

    /// Finding list in a stable order (by key).
    static func sorted(_ findings: [Finding]) -> [Finding] { findings.sorted { $0.key < $1.key } }
}
