/// A Sigma string value compiled for matching bytes: `*` any run of characters, `?` exactly one, `\*` `\?` `\\`
/// the characters themselves, any other backslash itself (Sigma specification v2, "Wildcards" and "Escaping").
/// Case-insensitive unless the rule says `cased`; case folding is ASCII-only (AWS field values are ASCII; a
/// non-ASCII byte matches only itself).
final class SigmaPattern: Sendable {
    /// One element of the pattern.
    enum Piece: Sendable, Hashable {
        case byte(UInt8)
        case anyRun
        case anyOne
    }

    let pieces: [Piece]
    let cased: Bool
    /// The pattern's bytes when it has no wildcard (an exact comparison), folded when case-insensitive.
    let exact: [UInt8]?
    /// The value as written in the rule, for messages.
    let source: String
    /// `*literal*`, `literal*` or `*literal` (the forms `contains`, `startswith` and `endswith` make): the literal
    /// (folded when case-insensitive) and where it must be.
    let affix: (bytes: [UInt8], anchor: Anchor)?
    /// With `affix` at `.anywhere`: at least one character before it (`?*x*`) and after it (`*x*?`).
    let affixNeedsBefore: Bool
    let affixNeedsAfter: Bool

    enum Anchor: Sendable { case anywhere, start, end }

    /// Parses `text` with Sigma's wildcard and escape rules.
    init(_ text: String, cased: Bool) {
        var pieces: [Piece] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x5C, i + 1 < bytes.count, [0x2A, 0x3F, 0x5C].contains(bytes[i + 1]) {
                pieces.append(.byte(bytes[i + 1]))
                i += 2
                continue
            }
            switch b {
            case 0x2A: if pieces.last != .anyRun { pieces.append(.anyRun) }
            case 0x3F: pieces.append(.anyOne)
            default: pieces.append(.byte(b))
            }
            i += 1
        }
        // A run of wildcards is k `?` then at most one `*` (`*?*` and `?*` match the same texts).
        var canonical: [Piece] = []
        var k = 0
        while k < pieces.count {
            guard pieces[k] != .anyRun && pieces[k] != .anyOne else {
                var ones = 0, star = false
                while k < pieces.count, pieces[k] == .anyRun || pieces[k] == .anyOne {
                    if pieces[k] == .anyOne { ones += 1 } else { star = true }
                    k += 1
                }
                canonical += Array(repeating: .anyOne, count: ones)
                if star { canonical.append(.anyRun) }
                continue
            }
            canonical.append(pieces[k])
            k += 1
        }
        pieces = canonical
        if !cased { pieces = pieces.map { if case .byte(let b) = $0 { return .byte(SigmaPattern.fold(b)) } else { return $0 } } }
        self.pieces = pieces
        self.cased = cased
        self.source = text
        func literal(_ ps: ArraySlice<Piece>) -> [UInt8]? {
            var out: [UInt8] = []
            for p in ps { guard case .byte(let b) = p else { return nil }; out.append(b) }
            return out
        }
        exact = literal(pieces[...])
        // `?*x*?` (what `.+x.+` becomes): one character is at least one byte, and the literal starts and ends on
        // character boundaries, so "one character before/after" is "one byte before/after".
        // (Runs are canonical: `?` before `*`, so these forms are `?*x` and `x?*`.)
        var bodyArray = pieces
        var before = false, after = false
        if bodyArray.count >= 2, bodyArray[0] == .anyOne, bodyArray[1] == .anyRun { before = true; bodyArray.removeFirst() }
        if bodyArray.count >= 3, bodyArray[bodyArray.count - 1] == .anyRun, bodyArray[bodyArray.count - 2] == .anyOne {
            after = true
            bodyArray.remove(at: bodyArray.count - 2)
        }
        let body = bodyArray[...]
        let leading = body.first == .anyRun, trailing = body.count > 1 && body.last == .anyRun
        if exact == nil, leading || trailing, (!before && !after) || (leading && trailing),
           let lit = literal(body[(body.startIndex + (leading ? 1 : 0))..<(body.endIndex - (trailing ? 1 : 0))]), !lit.isEmpty {
            affix = (lit, leading && trailing ? .anywhere : (leading ? .end : .start))
            affixNeedsBefore = before
            affixNeedsAfter = after
        } else {
            affix = nil
            affixNeedsBefore = false
            affixNeedsAfter = false
        }
    }

    /// The shortest and longest texts (in bytes) the pattern can match: a literal byte is one byte, `?` one
    /// character (1 to 4 bytes of UTF-8), `*` any number (no longest: `Int.max`). Folding is ASCII-only, so a
    /// text's length is the same folded or not.
    var lengthBounds: (min: Int, max: Int) {
        var low = 0, high = 0, unbounded = false
        for piece in pieces {
            switch piece {
            case .byte: low += 1; high += 1
            case .anyOne: low += 1; high += 4
            case .anyRun: unbounded = true
            }
        }
        return (low, unbounded ? Int.max : high)
    }

    /// A pattern of literal text (no wildcard processing), e.g. a value made by `base64`.
    static func literal(_ text: String, cased: Bool) -> SigmaPattern {
        var escaped = ""
        for c in text {
            if c == "*" || c == "?" || c == "\\" { escaped.append("\\") }
            escaped.append(c)
        }
        return SigmaPattern(escaped, cased: cased)
    }

    /// This pattern wrapped for `contains` (`*x*`), `startswith` (`x*`) or `endswith` (`*x`).
    func wrapped(leading: Bool, trailing: Bool) -> SigmaPattern {
        // Re-escape the pieces into text so that the wrapped pattern parses exactly like the original.
        var text = leading ? "*" : ""
        text += escapedSource
        if trailing { text += "*" }
        return SigmaPattern(text, cased: cased)
    }

    /// The pattern written back with escapes (wildcards kept as wildcards).
    private var escapedSource: String {
        var out: [UInt8] = []
        for p in pieces {
            switch p {
            case .anyRun: out.append(0x2A)
            case .anyOne: out.append(0x3F)
            case .byte(let b):
                if b == 0x2A || b == 0x3F || b == 0x5C { out.append(0x5C) }
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always)
    static func fold(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }

    /// True when the whole of `text` matches.
    func matches(_ text: UnsafeRawBufferPointer) -> Bool {
        if let exact {
            guard exact.count == text.count else { return false }
            if cased { return exact.withUnsafeBytes { $0.elementsEqual(text) } }
            for k in 0..<exact.count where exact[k] != SigmaPattern.fold(text[k]) { return false }
            return true
        }
        if let (lit, anchor) = affix {
            let m = lit.count, n = text.count
            guard m <= n else { return false }
            @inline(__always) func at(_ i: Int) -> Bool {
                for k in 0..<m {
                    let c = cased ? text[i + k] : SigmaPattern.fold(text[i + k])
                    if c != lit[k] { return false }
                }
                return true
            }
            switch anchor {
            case .start: return at(0)
            case .end: return at(n - m)
            case .anywhere:
                let first = lit[0]
                let lo = affixNeedsBefore ? 1 : 0, hi = n - m - (affixNeedsAfter ? 1 : 0)
                guard lo <= hi else { return false }
                for i in lo...hi {
                    let c = cased ? text[i] : SigmaPattern.fold(text[i])
                    if c == first && at(i) { return true }
                }
                return false
            }
        }
        return Self.glob(pieces, text, cased: cased)
    }

    func matches(_ text: String) -> Bool {
        var t = text
        return t.withUTF8 { matches(UnsafeRawBufferPointer($0)) }
    }

    /// The length of the UTF-8 character starting with `b`.
    @inline(__always)
    private static func scalarLength(_ b: UInt8) -> Int {
        if b < 0xC0 { return 1 }
        if b < 0xE0 { return 2 }
        if b < 0xF0 { return 3 }
        return 4
    }

    /// Greedy wildcard matching with one backtrack point (the last `*`): linear in practice, never exponential.
    private static func glob(_ p: [Piece], _ text: UnsafeRawBufferPointer, cased: Bool) -> Bool {
        var pi = 0, ti = 0
        var starP = -1, starT = 0
        let n = text.count
        while ti < n {
            if pi < p.count {
                switch p[pi] {
                case .anyRun:
                    starP = pi
                    starT = ti
                    pi += 1
                    continue
                case .anyOne:
                    pi += 1
                    ti = min(n, ti + scalarLength(text[ti]))
                    continue
                case .byte(let b):
                    let c = cased ? text[ti] : fold(text[ti])
                    if b == c {
                        pi += 1
                        ti += 1
                        continue
                    }
                }
            }
            guard starP >= 0 else { return false }
            pi = starP + 1
            starT += scalarLength(text[starT])
            ti = starT
        }
        while pi < p.count, p[pi] == .anyRun { pi += 1 }
        return pi == p.count
    }

    /// `text` with ASCII letters lower-cased (the engine's case folding).
    static func folded(_ text: String) -> String { String(decoding: text.utf8.map(fold), as: UTF8.self) }

    /// The literal text of a pattern that has no wildcard, lower-cased when case-insensitive (prefilter keys).
    var exactText: String? { exact.map { String(decoding: $0, as: UTF8.self) } }
}
