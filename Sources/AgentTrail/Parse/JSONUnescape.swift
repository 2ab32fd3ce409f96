import Foundation

/// Decodes the contents of a JSON string (the bytes between the quotes).
///
/// Handles every JSON escape including `\uXXXX` and UTF-16 surrogate pairs. Unpaired surrogates and malformed
/// `\u` escapes become U+FFFD; an unknown escape such as `\x` keeps the escaped character. Invalid UTF-8 is
/// repaired (U+FFFD), never a crash.
public enum JSONUnescape {
    /// The decoded text of a JSON string's contents (without the surrounding quotes).
    public static func string(from bytes: UnsafeRawBufferPointer) -> String {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return "" }
        if memchr(base, Int32(JSONScan.backslash), bytes.count) == nil {
            return String(decoding: bytes, as: UTF8.self)
        }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        append(from: bytes, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the UTF-8 bytes that the escaped string contents `bytes` stand for to `out`.
    /// Invalid UTF-8 in the input is copied through unchanged (repair happens when a `String` is made).
    public static func append(from bytes: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        guard let base = bytes.baseAddress else { return }
        let p = base.assumingMemoryBound(to: UInt8.self)
        let n = bytes.count
        var i = 0
        while i < n {
            // Copy the run up to the next backslash in one go.
            var runEnd = n
            if let hit = memchr(p + i, Int32(JSONScan.backslash), n &- i) {
                runEnd = UnsafeRawPointer(hit) - UnsafeRawPointer(p)
            }
            if runEnd > i { out.append(contentsOf: UnsafeBufferPointer(start: p + i, count: runEnd &- i)) }
            i = runEnd
            if i >= n { break }
            // p[i] == '\'
            i &+= 1
            if i >= n { out.append(JSONScan.backslash); break }
            let e = p[i]
            i &+= 1
            switch e {
            case 0x6E: out.append(0x0A)  // n
            case 0x74: out.append(0x09)  // t
            case 0x72: out.append(0x0D)  // r
            case 0x62: out.append(0x08)  // b
            case 0x66: out.append(0x0C)  // f
            case 0x75:  // u
                guard let unit = hex4(p, i, n) else { appendScalar(0xFFFD, &out); continue }
                i &+= 4
                if unit >= 0xD800 && unit <= 0xDBFF {
                    // Needs a following \uDC00-\uDFFF.
                    if i &+ 6 <= n, p[i] == JSONScan.backslash, p[i &+ 1] == 0x75,
                       let low = hex4(p, i &+ 2, n), low >= 0xDC00, low <= 0xDFFF {
                        i &+= 6
                        let scalar = 0x10000 &+ ((UInt32(unit) &- 0xD800) << 10) &+ (UInt32(low) &- 0xDC00)
                        appendScalar(scalar, &out)
                    } else {
                        appendScalar(0xFFFD, &out)
                    }
                } else if unit >= 0xDC00 && unit <= 0xDFFF {
                    appendScalar(0xFFFD, &out)
                } else {
                    appendScalar(UInt32(unit), &out)
                }
            default:
                out.append(e)  // \" \\ \/ and unknown escapes keep the character
            }
        }
    }

    @inline(__always)
    private static func hex4(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> UInt16? {
        guard i &+ 4 <= n else { return nil }
        var v: UInt16 = 0
        for k in 0..<4 {
            let b = p[i &+ k]
            let d: UInt8
            switch b {
            case 0x30...0x39: d = b &- 0x30
            case 0x61...0x66: d = b &- 0x57
            case 0x41...0x46: d = b &- 0x37
            default: return nil
            }
            v = v << 4 | UInt16(d)
        }
        return v
    }

    @inline(__always)
    private static func appendScalar(_ s: UInt32, _ out: inout [UInt8]) {
        switch s {
        case 0..<0x80:
            out.append(UInt8(s))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (s >> 6)))
            out.append(UInt8(0x80 | (s & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (s >> 12)))
            out.append(UInt8(0x80 | ((s >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (s & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (s >> 18)))
            out.append(UInt8(0x80 | ((s >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((s >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (s & 0x3F)))
        }
    }
}
