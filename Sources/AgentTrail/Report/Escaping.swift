import Foundation

/// Making untrusted text from logs and policies safe for each output.
public enum Escaping {
    /// Text safe for a terminal: C0/C1 control characters (ESC sequences included), DEL and Unicode
    /// bidi overrides become visible `\u{..}` escapes; newlines and tabs too unless `keepNewlines`.
    public static func terminal(_ text: String, keepNewlines: Bool = false) -> String {
        var needs = false
        for u in text.unicodeScalars where isUnsafeForTerminal(u, keepNewlines: keepNewlines) { needs = true; break }
        if !needs { return text }
        var out = String.UnicodeScalarView()
        for u in text.unicodeScalars {
            if isUnsafeForTerminal(u, keepNewlines: keepNewlines) {
                out.append(contentsOf: "\\u{\(String(u.value, radix: 16))}".unicodeScalars)
            } else {
                out.append(u)
            }
        }
        return String(out)
    }

    private static func isUnsafeForTerminal(_ u: Unicode.Scalar, keepNewlines: Bool) -> Bool {
        let v = u.value
        if keepNewlines && (v == 0x0A || v == 0x09) { return false }
        if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) { return true }
        return isInvisibleControl(v)
    }

    /// Bidi controls (embeddings, overrides, isolates, LRM/RLM/ALM) and the Unicode line and paragraph separators:
    /// they reorder or break the text around them without being seen (Trojan Source), so every human-facing output
    /// shows them as `\u{..}` instead.
    static func isInvisibleControl(_ v: UInt32) -> Bool {
        (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F || v == 0x061C
            || v == 0x2028 || v == 0x2029
    }

    /// Text safe inside HTML element content and quoted attribute values.
    public static func html(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                if isInvisibleControl(ch.value) || ch.value == 0x7F || (0x80...0x9F).contains(ch.value) {
                    out += "\\u{\(String(ch.value, radix: 16))}"  // visible, not a numeric reference the browser would apply
                } else if ch.value < 0x20 && ch != "\n" && ch != "\t" {
                    out += "&#\(ch.value);"
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
        }
        return out
    }

    /// One CSV cell (RFC 4180 quoting), with spreadsheet formulas neutralized: a cell whose first character after
    /// any leading whitespace is `=`, `+`, `-` or `@` (or that starts with tab or carriage return) gets a leading `'`
    /// (OWASP "CSV Injection"). Control bytes other than tab and line breaks (NUL, ESC, ...) are dropped, and bidi
    /// controls and line separators are shown as `\u{..}`.
    public static func csvCell(_ text: String) -> String {
        var t = text
        func isControl(_ u: Unicode.Scalar) -> Bool {
            (u.value < 0x20 && !["\t", "\n", "\r"].contains(u)) || u.value == 0x7F || (0x80...0x9F).contains(u.value)
        }
        if t.unicodeScalars.contains(where: { isControl($0) || isInvisibleControl($0.value) }) {
            var out = String.UnicodeScalarView()
            for u in t.unicodeScalars {
                if isControl(u) { continue }
                if isInvisibleControl(u.value) { out.append(contentsOf: "\\u{\(String(u.value, radix: 16))}".unicodeScalars) } else { out.append(u) }
            }
            t = String(out)
        }
        let firstVisible = t.unicodeScalars.first { !($0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r") }
        if let f = t.unicodeScalars.first, f == "\t" || f == "\r" { t = "'" + t }
        else if let f = firstVisible, ["=", "+", "-", "@"].contains(f) { t = "'" + t }
        if t.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return t
    }

    /// A JSON string literal (with quotes) for `text`.
    public static func jsonString(_ text: String) -> String {
        // (Printable ASCII without `"` or `\` is written as it is: the scalar loop below, ~100 instructions per
        // character, was most of the time a scan spent writing its JSON report.)
        if isPlainJSONText(text) { return "\"" + text + "\"" }
        return jsonStringByScalars(text)
    }

    /// `jsonString(text)`'s UTF-8 bytes appended to `out`.
    static func appendJSONString(_ text: String, to out: inout [UInt8]) {
        var text = text
        let plain = text.withUTF8 { bytes -> Bool in
            for b in bytes where b < 0x20 || b > 0x7E || b == 0x22 || b == 0x5C { return false }
            out.append(0x22)
            out.append(contentsOf: bytes)
            out.append(0x22)
            return true
        }
        if !plain { out.append(contentsOf: jsonStringByScalars(text).utf8) }
    }

    /// True when every byte of `text` is printable ASCII (0x20–0x7E) other than `"` and `\`: nothing to escape.
    static func isPlainJSONText(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            for b in bytes where b < 0x20 || b > 0x7E || b == 0x22 || b == 0x5C { return false }
            return true
        }
    }

    /// `jsonString` one scalar at a time (every text; the reference the plain case is checked against).
    static func jsonStringByScalars(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for u in text.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7F || (0x80...0x9F).contains(u.value) || isInvisibleControl(u.value) {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
