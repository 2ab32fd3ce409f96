/// Regular expressions that are wildcard patterns in disguise (`.+:assumed-role/aws:.+`, `^arn:aws:iam::`,
/// `Trufflehog.*$`), matched as a `SigmaPattern` instead of by ICU: literal characters (escaped punctuation
/// included), `.`, `.*`, `.+` and the anchors `^` and `$`. An unanchored search is a pattern with `*` on each side.
/// Exact for text without line breaks (`.` then matches any character, `$` only the end); the caller falls back to
/// the regular expression when the text has one. Anything else (classes, groups, alternation, repetition of a
/// literal, non-ASCII letters under `i`) is not translated.
enum SigmaRegexGlob {
    static func translate(_ regex: String, caseInsensitive: Bool, multiline: Bool) -> SigmaPattern? {
        if multiline { return nil }
        var chars = Array(regex.unicodeScalars)
        var anchoredStart = false, anchoredEnd = false
        if chars.first == "^" { anchoredStart = true; chars.removeFirst() }
        if chars.last == "$" {
            // (`\$` at the end is a literal dollar.)
            var backslashes = 0
            var k = chars.count - 2
            while k >= 0 && chars[k] == "\\" { backslashes += 1; k -= 1 }
            if backslashes % 2 == 0 { anchoredEnd = true; chars.removeLast() }
        }
        var out = anchoredStart ? "" : "*"
        var i = 0
        while i < chars.count {
            let c = chars[i]
            let next: Unicode.Scalar? = i + 1 < chars.count ? chars[i + 1] : nil
            switch c {
            case ".":
                if next == "*" { out += "*"; i += 2; continue }
                if next == "+" { out += "?*"; i += 2; continue }
                if next == "?" || next == "{" { return nil }
                out += "?"
            case "\\":
                guard let n = next else { return nil }
                // Escaped punctuation is the character itself; `\d`, `\w`, `\b`, ... are classes or assertions.
                guard n.isASCII, !n.properties.isAlphabetic, !("0"..."9").contains(n) else { return nil }
                if let after = i + 2 < chars.count ? chars[i + 2] : nil, "*+?{".unicodeScalars.contains(after) { return nil }
                out += (n == "*" || n == "?" || n == "\\") ? "\\" + String(n) : String(n)
                i += 2
                continue
            case "[", "]", "(", ")", "{", "}", "|", "*", "+", "?", "^", "$":
                return nil
            default:
                if caseInsensitive && !c.isASCII { return nil }
                if let n = next, "*+?{".unicodeScalars.contains(n) { return nil }
                out += String(c)
            }
            i += 1
        }
        if !anchoredEnd && !out.hasSuffix("*") { out += "*" }
        if out == "*" || out.isEmpty { return anchoredStart && anchoredEnd ? SigmaPattern("", cased: true) : SigmaPattern("*", cased: true) }
        return SigmaPattern(out, cased: !caseInsensitive)
    }
}
