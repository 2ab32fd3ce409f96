/// Tells JSON text from binary or other formats by its first significant byte, so a stray binary file is
/// reported once as a failed file instead of as thousands of malformed records.
public enum JSONSniffer {
    /// True when the first non-whitespace byte (after an optional UTF-8 BOM) is `{` or `[`; false for anything
    /// else; nil when the chunk holds only whitespace (undecided).
    public static func startsLikeJSON(_ chunk: UnsafeRawBufferPointer) -> Bool? {
        var i = 0
        if chunk.count >= 3, chunk[0] == 0xEF, chunk[1] == 0xBB, chunk[2] == 0xBF { i = 3 }
        while i < chunk.count {
            switch chunk[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            case UInt8(ascii: "{"), UInt8(ascii: "["): return true
            default: return false
            }
        }
        return nil
    }
}
