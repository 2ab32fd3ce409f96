#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// String work done on UTF-8 bytes for the per-record path: joining a few pieces into one buffer of the exact size
/// (`ResourceExtractor`'s ARNs; interpolation grows its buffer piece by piece and copies it at the end), ASCII prefix
/// tests without `String.hasPrefix`'s Unicode path, ASCII lowercasing in one buffer.
enum StringBytes {
    /// The pieces concatenated (fixed parameters, not variadic: a variadic call allocates its array).
    static func join(_ a: String, _ b: String, _ c: String = "", _ d: String = "", _ e: String = "", _ f: String = "",
                     _ g: String = "", _ h: String = "") -> String {
        let total = a.utf8.count + b.utf8.count + c.utf8.count + d.utf8.count + e.utf8.count + f.utf8.count
            + g.utf8.count + h.utf8.count
        return String(unsafeUninitializedCapacity: total) { out in
            var at = 0
            @inline(__always) func put(_ piece: String) {
                let n = piece.utf8.count
                guard n > 0 else { return }
                // (Read in place: `withUTF8` needs a mutable copy, a retain and release per piece. Native strings are
                // contiguous; any other is copied byte by byte.)
                let copied: Void? = piece.utf8.withContiguousStorageIfAvailable { src in
                    UnsafeMutableRawPointer(out.baseAddress! + at).copyMemory(from: src.baseAddress!, byteCount: n)
                }
                if copied == nil {
                    for (k, byte) in piece.utf8.enumerated() { out[at + k] = byte }
                }
                at += n
            }
            put(a); put(b); put(c); put(d); put(e); put(f); put(g); put(h)
            return at
        }
    }

    /// True when `s` is, byte for byte, the pieces concatenated (`join(a, b, ...) == s` on bytes, without building
    /// the joined string).
    static func equalsJoined(_ s: String, _ a: String, _ b: String, _ c: String = "", _ d: String = "", _ e: String = "",
                             _ f: String = "", _ g: String = "", _ h: String = "") -> Bool {
        let total = a.utf8.count &+ b.utf8.count &+ c.utf8.count &+ d.utf8.count &+ e.utf8.count &+ f.utf8.count
            &+ g.utf8.count &+ h.utf8.count
        guard s.utf8.count == total else { return false }
        if total == 0 { return true }
        guard let same = s.utf8.withContiguousStorageIfAvailable({ whole -> Bool in
            var at = whole.baseAddress!
            @inline(__always) func matches(_ piece: String) -> Bool {
                let n = piece.utf8.count
                defer { at += n }
                return sameBytes(at, n, piece)
            }
            return matches(a) && matches(b) && matches(c) && matches(d) && matches(e) && matches(f) && matches(g) && matches(h)
        }) else { return Array(s.utf8) == Array(join(a, b, c, d, e, f, g, h).utf8) }
        return same
    }

    /// `join(a, b, c).lowercased()` in one buffer when all three are ASCII (A–Z folded); nil otherwise, for the
    /// caller's Unicode lowercasing. (Eight bytes at a time: the catalogue makes ~28,000 actions at start-up, each
    /// keyed by this; byte by byte it cost ~1,350 instructions an action.)
    static func lowercasedASCII(_ a: String, _ b: String, _ c: String) -> String? {
        let total = a.utf8.count + b.utf8.count + c.utf8.count
        if total == 0 { return "" }
        var ascii = true
        // (Each piece folded by a static function, not a nested one capturing the buffer and flags: that closure's
        // context was allocated per call, ~1,000 instructions an action at start-up.)
        let out = String(unsafeUninitializedCapacity: total) { out in
            let base = out.baseAddress!
            guard let na = fold(a, into: base), let nb = fold(b, into: base + na), let nc = fold(c, into: base + na + nb) else {
                ascii = false
                return 0  // (bytes were left unwritten: nothing is kept)
            }
            return na + nb + nc
        }
        return ascii ? out : nil
    }

    /// `s` copied to `dst` with A–Z folded; its byte count, or nil when it is not ASCII.
    @inline(__always)
    private static func fold(_ s: String, into dst: UnsafeMutablePointer<UInt8>) -> Int? {
        withUTF8(s) { src in src.isEmpty ? 0 : (foldASCII(src, into: dst) ? src.count : nil) }
    }

    /// Copies `src` to `dst` with A–Z folded to a–z, eight bytes at a time; false (at the first word or byte holding
    /// one) when a byte is not ASCII, the rest then unwritten.
    @inline(__always)
    static func foldASCII(_ src: UnsafeRawBufferPointer, into dst: UnsafeMutablePointer<UInt8>) -> Bool {
        let n = src.count
        var i = 0
        let high: UInt64 = 0x8080_8080_8080_8080
        while i &+ 8 <= n {
            let w = src.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if w & high != 0 { return false }
            // (Every byte is below 0x80, so adding at most 0x3F carries into no other byte: the top bit of a byte is
            // set by + 0x3F when it is ≥ 0x41 'A' and by + 0x25 when it is ≥ 0x5B, one past 'Z'.)
            let upper = (w &+ 0x3F3F_3F3F_3F3F_3F3F) & ~(w &+ 0x2525_2525_2525_2525) & high
            UnsafeMutableRawPointer(dst + i).storeBytes(of: w | (upper >> 2), as: UInt64.self)
            i &+= 8
        }
        while i < n {
            let byte = src[i]
            if byte >= 0x80 { return false }
            dst[i] = byte >= 65 && byte <= 90 ? byte | 0x20 : byte
            i &+= 1
        }
        return true
    }

    /// `body` over the UTF-8 bytes of `text`: in place when its storage is contiguous (native strings and their
    /// substrings), else from a copy.
    @inline(__always)
    static func withUTF8<R>(_ text: some StringProtocol, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        if let done = text.utf8.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) { return done }
        return Array(text.utf8).withUnsafeBytes(body)
    }

    /// `s == literal` for the per-record checks against a fixed ASCII name ("AssumedRole", "Data", ...), compared on
    /// bytes: the length first, then the bytes (`String ==` goes through its Unicode comparison, ~70 instructions).
    /// The same answer as `==` for any ASCII literal without `K`, `` ` `` or `;` — the only ASCII characters another
    /// character is canonically equivalent to (U+212A, U+1FEF, U+037E) — which the debug build checks.
    @inline(__always)
    static func equals(_ s: String?, _ literal: StaticString) -> Bool {
        guard let s else { return false }
        let n = literal.utf8CodeUnitCount
        assert((0..<n).allSatisfy { k in
            let b = literal.utf8Start[k]
            return b < 0x80 && b != UInt8(ascii: "K") && b != UInt8(ascii: "`") && b != UInt8(ascii: ";")
        }, "StringBytes.equals: literal must be ASCII without K, ` or ;")
        return sameBytes(literal.utf8Start, n, s)
    }

    /// True when the `count` bytes at `p` are the UTF-8 of `text`: the lengths first (most candidates differ in
    /// length, and a native string knows its length), then `memcmp` on the string's contiguous storage (bridged or
    /// other non-contiguous strings are compared element by element). The one byte comparison behind
    /// `JSONScan.equals(_:_:_:_: String)`, `equals(_:_:)` and `equalsJoined`.
    @inline(__always)
    static func sameBytes(_ p: UnsafePointer<UInt8>, _ count: Int, _ text: String) -> Bool {
        let u = text.utf8
        guard u.count == count else { return false }
        if count == 0 { return true }
        return u.withContiguousStorageIfAvailable { memcmp(p, $0.baseAddress!, count) == 0 }
            ?? u.elementsEqual(UnsafeBufferPointer(start: p, count: count))
    }

    /// True when `s` starts with the ASCII `prefix` (compared on bytes, without `String.hasPrefix`'s Unicode path).
    @inline(__always)
    static func hasPrefix(_ s: String, _ prefix: StaticString) -> Bool {
        let n = prefix.utf8CodeUnitCount
        let p = prefix.utf8Start
        let inPlace: Bool? = s.utf8.withContiguousStorageIfAvailable { b in
            guard b.count >= n else { return false }
            for i in 0..<n where b[i] != p[i] { return false }
            return true
        }
        if let inPlace { return inPlace }
        var i = 0
        for byte in s.utf8 {
            if i == n { return true }
            if byte != p[i] { return false }
            i += 1
        }
        return i == n
    }

    /// True when `s` starts with `arn:` (compared on bytes).
    @inline(__always)
    static func isARN(_ s: String) -> Bool { hasPrefix(s, "arn:") }
}
