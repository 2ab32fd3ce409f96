import CJSONScan

/// Byte-level JSON scanning primitives shared by the splitter, the decoder and the `RawJSON` accessors.
///
/// All functions work on raw UTF-8 bytes, never allocate, and skip string contents 16 bytes at a time.
enum JSONScan {
    static let quote: UInt8 = 0x22
    static let backslash: UInt8 = 0x5C

    /// Index of the first byte in `p[from..<n]` equal to `"`, `\` or `extra` (pass `"` to search for two bytes);
    /// `n` when there is none.
    @inline(__always)
    static func findStringStop(_ p: UnsafePointer<UInt8>, _ from: Int, _ n: Int, extra: UInt8) -> Int {
        var i = from
        let q = SIMD16<UInt8>(repeating: quote)
        let bs = SIMD16<UInt8>(repeating: backslash)
        let ex = SIMD16<UInt8>(repeating: extra)
        while i &+ 16 <= n {
            let v = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<UInt8>.self)
            let m = (v .== q) .| (v .== bs) .| (v .== ex)
            let bits = unsafeBitCast(m, to: SIMD2<UInt64>.self)
            if bits[0] != 0 { return i &+ bits[0].trailingZeroBitCount >> 3 }
            if bits[1] != 0 { return i &+ 8 &+ bits[1].trailingZeroBitCount >> 3 }
            i &+= 16
        }
        while i < n {
            let b = p[i]
            if b == quote || b == backslash || b == extra { return i }
            i &+= 1
        }
        return n
    }

    /// Given `from` just after an opening quote, the index of the closing quote, or nil when the string does not end.
    @inline(__always)
    static func stringEnd(_ p: UnsafePointer<UInt8>, _ from: Int, _ n: Int) -> Int? {
        var i = from
        while true {
            let s = findStringStop(p, i, n, extra: quote)
            if s >= n { return nil }
            if p[s] == quote { return s }
            i = s &+ 2
        }
    }

    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }

    @inline(__always)
    static func skipSpace(_ p: UnsafePointer<UInt8>, _ from: Int, _ n: Int) -> Int {
        var i = from
        while i < n && isSpace(p[i]) { i &+= 1 }
        return i
    }

    /// True for bytes that may appear in a number or a `true`/`false`/`null` literal.
    @inline(__always)
    static func isTokenByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x2B || b == 0x2E || b == 0x45
    }

    /// Skips one JSON value starting at `from` (no leading whitespace). Returns the index just past it, or nil
    /// when the value is malformed. Scalars are checked exactly; nested objects and arrays are checked for
    /// balanced brackets and terminated strings only (their contents are not validated further).
    static func skipValue(_ p: UnsafePointer<UInt8>, _ from: Int, _ n: Int) -> Int? {
        guard from < n else { return nil }
        switch p[from] {
        case quote:
            guard let e = stringEnd(p, from &+ 1, n) else { return nil }
            return e &+ 1
        case 0x7B, 0x5B:
            return skipContainer(p, from, n)
        case 0x74: return literal(p, from, n, "true")
        case 0x66: return literal(p, from, n, "false")
        case 0x6E: return literal(p, from, n, "null")
        case 0x2D, 0x30...0x39:
            return number(p, from, n)
        default:
            return nil
        }
    }

    private static func literal(_ p: UnsafePointer<UInt8>, _ from: Int, _ n: Int, _ word: StaticString) -> Int? {
        let len = word.utf8CodeUnitCount
        guard from &+ len <= n else { return nil }
        let w = word.utf8Start
        for k in 0..<len where p[from &+ k] != w[k] { return nil }
        if from &+ len < n && isTokenByte(p[from &+ len]) { return nil }
        return from &+ len
    }

    /// JSON number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private static func number(_ p: UnsafePointer<UInt8>, _ from: Int, _ n: Int) -> Int? {
        var i = from
        @inline(__always) func digits() -> Int {
            let s = i
            while i < n && p[i] >= 0x30 && p[i] <= 0x39 { i &+= 1 }
            return i &- s
        }
        if p[i] == 0x2D { i &+= 1 }
        guard i < n else { return nil }
        if p[i] == 0x30 { i &+= 1 } else if digits() == 0 { return nil }
        if i < n && p[i] == 0x2E { i &+= 1; if digits() == 0 { return nil } }
        if i < n && (p[i] == 0x65 || p[i] == 0x45) {
            i &+= 1
            if i < n && (p[i] == 0x2B || p[i] == 0x2D) { i &+= 1 }
            if digits() == 0 { return nil }
        }
        if i < n && isTokenByte(p[i]) { return nil }
        return i
    }

    /// The deepest nesting `skipContainer` accepts: a value nested deeper is not skipped (nil), so the splitter
    /// reports its record as too deep.
    static let maxDepth = RecordSplitter.defaultMaxDepth

    /// The index just past the object or array whose opening bracket is at `from`, or nil when it does not close
    /// (or a closer of the wrong kind, nesting deeper than `maxDepth`, an unterminated string). Done in C
    /// (`agenttrail_skip_container`): quotes, backslashes and brackets are found 64 bytes at a time and the string
    /// interior follows from the quotes, so a container is crossed without a branch per byte; blocks that hold a
    /// backslash go byte by byte. Same answers as the Swift bracket counter it replaced, which the tests keep
    /// (`JSONScanReference`) and compare it with.
    @inline(__always)
    static func skipContainer(_ p: UnsafePointer<UInt8>, _ from: Int, _ n: Int) -> Int? {
        let end = agenttrail_skip_container(p, from, n, maxDepth)
        return end < 0 ? nil : end
    }

    /// Where a member or element scan failed, relative to the scanned buffer.
    struct Failure: Error {
        var offset: Int
        var reason: String
    }

    /// The index of the closing quote of the key string whose opening quote is at `i`, and whether it has escapes.
    @inline(__always)
    static func keyEnd(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) throws -> (end: Int, hasEscape: Bool) {
        var hasEscape = false
        var j = i &+ 1
        while true {
            let s = findStringStop(p, j, n, extra: quote)
            if s >= n { throw Failure(offset: i, reason: "unterminated key string") }
            if p[s] == quote { return (s, hasEscape) }
            hasEscape = true
            j = s &+ 2
        }
    }

    /// The one object-member loop of the scanner. For each member of the object that starts at `from` (after
    /// optional whitespace), `visit(keyStart, keyEnd, keyHasEscape, valueStart)` returns the index after the member's
    /// value (having skipped or scanned it), or nil to stop early. Key bounds exclude the quotes. Returns the index
    /// after the closing `}`, or nil when `visit` stopped. Throws `Failure` where the object is malformed.
    @inline(__always)
    static func scanMembers(_ p: UnsafePointer<UInt8>, _ from: Int, _ n: Int,
                            _ visit: (Int, Int, Bool, Int) throws -> Int?) throws -> Int? {
        var i = skipSpace(p, from, n)
        guard i < n, p[i] == 0x7B else { throw Failure(offset: i, reason: "expected an object") }
        i = skipSpace(p, i &+ 1, n)
        if i < n && p[i] == 0x7D { return i &+ 1 }
        while true {
            guard i < n, p[i] == quote else { throw Failure(offset: i, reason: "expected a key string") }
            let ks = i &+ 1
            let (ke, hasEscape) = try keyEnd(p, i, n)
            i = skipSpace(p, ke &+ 1, n)
            guard i < n, p[i] == 0x3A else { throw Failure(offset: i, reason: "expected ':' after key") }
            i = skipSpace(p, i &+ 1, n)
            guard let ve = try visit(ks, ke, hasEscape, i) else { return nil }
            i = skipSpace(p, ve, n)
            guard i < n else { throw Failure(offset: i, reason: "object does not close") }
            if p[i] == 0x2C {
                i = skipSpace(p, i &+ 1, n)
                continue
            }
            if p[i] == 0x7D { return i &+ 1 }
            throw Failure(offset: i, reason: "expected ',' or '}' in object")
        }
    }

    /// The end of the value at `i` (`skipValue`), or a `Failure` there.
    @inline(__always)
    static func valueEnd(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) throws -> Int {
        // (A string, most values of a record, is ended here: calling `skipValue` and its dispatch on the first byte
        // cost as much as scanning a short string. An unterminated one goes on to `skipValue`, which fails the same.)
        if i < n, p[i] == quote, let e = stringEnd(p, i &+ 1, n) { return e &+ 1 }
        guard let ve = skipValue(p, i, n) else { throw Failure(offset: i, reason: "malformed value") }
        return ve
    }

    /// Calls `body(keyStart, keyEnd, keyHasEscape, valueStart, valueEnd)` for each member of the object that starts
    /// at `from` (after optional whitespace). Key bounds exclude the quotes. Returns the index after the closing `}`.
    /// `body` returns false to stop early (the return value is then nil without an error).
    @discardableResult
    static func forEachMember(_ p: UnsafePointer<UInt8>, _ from: Int, _ n: Int,
                              _ body: (Int, Int, Bool, Int, Int) throws -> Bool) throws -> Int? {
        try scanMembers(p, from, n) { ks, ke, hasEscape, vs in
            let ve = try valueEnd(p, vs, n)
            return try body(ks, ke, hasEscape, vs, ve) ? ve : nil
        }
    }

    /// `forEachMember` for objects whose nested object members are themselves scanned: before a member's value is
    /// skipped, `inline(keyStart, keyEnd, valueStart)` may scan it in place (reading within `p[..<n]`) and return
    /// the index after it; the value is then not skipped and `body` is not called for it. `inline` returns nil (and
    /// must leave no trace) when it does not take the value or its scan fails: the member then goes through
    /// `skipValue` and `body` exactly as in `forEachMember`, so errors are the same. `inline` may only succeed on a
    /// value that `skipValue` would end at the same index (e.g. an object it scanned with `forEachMember`).
    @inline(__always)
    static func forEachMember(_ p: UnsafePointer<UInt8>, _ from: Int, _ n: Int,
                              inline: (Int, Int, Int) -> Int?,
                              _ body: (Int, Int, Int, Int) throws -> Void) throws -> Int {
        try scanMembers(p, from, n) { ks, ke, _, vs in
            if let e = inline(ks, ke, vs) { return e }
            let ve = try valueEnd(p, vs, n)
            try body(ks, ke, vs, ve)
            return ve
        }!  // (the visitor never stops early)
    }

    /// Calls `body(valueStart, valueEnd)` for each element of the array that starts at `from`.
    @discardableResult
    static func forEachElement(_ p: UnsafePointer<UInt8>, _ from: Int, _ n: Int,
                               _ body: (Int, Int) throws -> Bool) throws -> Int? {
        var i = skipSpace(p, from, n)
        guard i < n, p[i] == 0x5B else { throw Failure(offset: i, reason: "expected an array") }
        i = skipSpace(p, i &+ 1, n)
        if i < n && p[i] == 0x5D { return i &+ 1 }
        while true {
            guard let ve = skipValue(p, i, n) else { throw Failure(offset: i, reason: "malformed array element") }
            if try !body(i, ve) { return nil }
            i = skipSpace(p, ve, n)
            guard i < n else { throw Failure(offset: i, reason: "array does not close") }
            if p[i] == 0x2C { i = skipSpace(p, i &+ 1, n); continue }
            if p[i] == 0x5D { return i &+ 1 }
            throw Failure(offset: i, reason: "expected ',' or ']' in array")
        }
    }

    /// The array at `from` (its `[`, within `p[..<n]`) read in one pass: each object element is handed to
    /// `object(elementStart)`, which scans it in place (bounded by `n`) and returns the index after it; other
    /// elements are skipped. `forEachElement` with a body that scans each object crosses every object twice
    /// (`skipValue` to find its end, then the body's scan); this crosses it once. Returns false instead of throwing
    /// (on a malformed array, or when `object` throws or returns nil): the caller then runs its two-pass scan for
    /// the error it reports, so errors stay the two-pass scan's. When `object` parses the element's members
    /// (`forEachMember`) and the array passed `skipValue` whole (as every value the decoder reaches did: the
    /// splitter's spans or `valueEnd` ended it, both with the depth limit), true here means the two-pass scan succeeds
    /// too: a member scan that ends checked every string and bracket in the element, so `skipValue` ends it at the
    /// same `}`, and the element nests no deeper than the array.
    @inline(__always)
    static func objectElementsInOnePass(_ p: UnsafePointer<UInt8>, _ from: Int, _ n: Int,
                                        _ object: (Int) throws -> Int?) -> Bool {
        var i = skipSpace(p, from, n)
        guard i < n, p[i] == 0x5B else { return false }
        i = skipSpace(p, i &+ 1, n)
        if i < n && p[i] == 0x5D { return true }
        while true {
            let ve: Int
            if i < n && p[i] == 0x7B {
                guard let e = try? object(i) else { return false }
                ve = e
            } else {
                guard let e = skipValue(p, i, n) else { return false }
                ve = e
            }
            i = skipSpace(p, ve, n)
            guard i < n else { return false }
            if p[i] == 0x2C { i = skipSpace(p, i &+ 1, n); continue }
            return p[i] == 0x5D
        }
    }

    /// True when `p[start..<end]` equals `literal`. From 8 bytes on, compared 8 bytes at a time, the last 8 overlapping
    /// (the literal's words fold to constants): the record's keys are 7–28 bytes, and a byte loop cost 4 instructions
    /// a byte for each key compared.
    @inline(__always)
    static func equals(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ literal: StaticString) -> Bool {
        let len = literal.utf8CodeUnitCount
        guard end &- start == len else { return false }
        let l = literal.utf8Start
        if len >= 8 {
            let a = UnsafeRawPointer(p + start), b = UnsafeRawPointer(l)
            var k = 0
            while k &+ 8 < len {
                if a.loadUnaligned(fromByteOffset: k, as: UInt64.self) != b.loadUnaligned(fromByteOffset: k, as: UInt64.self) {
                    return false
                }
                k &+= 8
            }
            return a.loadUnaligned(fromByteOffset: len &- 8, as: UInt64.self)
                == b.loadUnaligned(fromByteOffset: len &- 8, as: UInt64.self)
        }
        for k in 0..<len where p[start &+ k] != l[k] { return false }
        return true
    }

    /// True when `p[start..<end]` equals the UTF-8 of `text`.
    @inline(__always)
    static func equals(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ text: String) -> Bool {
        StringBytes.sameBytes(p + start, end &- start, text)
    }
}
