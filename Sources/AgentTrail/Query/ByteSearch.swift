#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Substring search on raw record bytes (`memmem`), for push-down filters that run before decoding.
public enum ByteSearch {
    /// True when `needle` occurs in `haystack`. An empty needle is always found.
    @inline(__always)
    public static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        if needle.isEmpty { return true }
        guard let base = haystack.baseAddress, haystack.count >= needle.count else { return false }
        return needle.withUnsafeBytes { n in
            if let memmem = ByteSearch.memmem {
                return memmem(base, haystack.count, n.baseAddress!, n.count) != nil
            }
            return fallbackSearch(base, haystack.count, n.baseAddress!, n.count)
        }
    }

    typealias MemmemFunction = @convention(c) (UnsafeRawPointer?, Int, UnsafeRawPointer?, Int) -> UnsafeMutableRawPointer?

    /// The C library's `memmem` (not exported by Swift's Glibc module, which lacks `_GNU_SOURCE`), looked up once.
    static let memmem = CLibrary.function("memmem", as: MemmemFunction.self)

    /// `memchr` for the needle's first byte, then `memcmp`.
    static func fallbackSearch(_ h: UnsafeRawPointer, _ hn: Int, _ n: UnsafeRawPointer, _ nn: Int) -> Bool {
        let first = Int32(n.load(as: UInt8.self))
        var i = 0
        while i + nn <= hn {
            guard let hit = memchr(h + i, first, hn - nn - i + 1) else { return false }
            let at = h.distance(to: UnsafeRawPointer(hit))
            if memcmp(hit, n, nn) == 0 { return true }
            i = at + 1
        }
        return false
    }

    /// True when `needle` occurs in `haystack`.
    public static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        haystack.withUnsafeBytes { contains($0, needle) }
    }

    /// True when text containing `piece` is certain to contain it byte for byte in its JSON encoding: printable
    /// ASCII without `"`, `\`, `/` (which JSON may write as `\/`) or `<`, `>`, `&`, `'` (which some encoders
    /// write as `\u003c`...). Other text may be escaped, so it must be compared after decoding.
    public static func isJSONStable(_ piece: String) -> Bool {
        for b in piece.utf8 {
            if b < 0x20 || b >= 0x7F { return false }
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "<"), UInt8(ascii: ">"),
                 UInt8(ascii: "&"), UInt8(ascii: "'"):
                return false
            default: continue
            }
        }
        return true
    }

    /// The longest run of `text` that `isJSONStable`, splitting at wildcards and unstable characters;
    /// nil when it is shorter than `minimum` bytes.
    public static func longestStablePiece(of text: String, minimum: Int = 3, splitWildcards: Bool = true) -> String? {
        var best = ""
        var current = ""
        for ch in text.unicodeScalars {
            let s = String(ch)
            let wildcard = splitWildcards && (ch == "*" || ch == "?")
            if !wildcard && isJSONStable(s) {
                current.unicodeScalars.append(ch)
            } else {
                if current.utf8.count > best.utf8.count { best = current }
                current = ""
            }
        }
        if current.utf8.count > best.utf8.count { best = current }
        return best.utf8.count >= minimum ? best : nil
    }
}
