/// Parses the time arguments users type: ISO 8601 dates and times (`2026-11-28`, `2026-11-28T10:00Z`,
/// `2026-11-28 10:00:00`) and relative ages (`90m`, `24h`, `7d`, `2w`, `30s`) counted back from `now`.
public enum TimeExpression {
    /// Parsing failed: the message says what forms are accepted.
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public let text: String
        public var description: String {
            "cannot read time '\(text)': use an ISO 8601 date or time (2026-11-28, 2026-11-28T10:00:00Z) or an age such as 90m, 24h, 7d"
        }
    }

    public static func parse(_ text: String, now: Instant) throws -> Instant {
        let t = String(text.trimmingASCIIWhitespace)
        if let last = t.last, let n = Int64(t.dropLast()), n >= 0 {
            let unit: Int64?
            switch last {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            case "d": unit = 86_400
            case "w": unit = 604_800
            default: unit = nil
            }
            if let unit { return now.adding(seconds: -n * unit) }
        }
        if let i = parseISO(t) { return i }
        throw ParseError(text: text)
    }

    /// `YYYY-MM-DD`, optionally followed by `T` or a space and `HH:MM[:SS[.fff…]]`, optionally `Z` or `+00:00`.
    public static func parseISO(_ text: String) -> Instant? {
        let b = Array(text.utf8)
        func num(_ from: Int, _ len: Int) -> Int? {
            guard from + len <= b.count else { return nil }
            var v = 0
            for k in from..<(from + len) {
                guard b[k] >= 48 && b[k] <= 57 else { return nil }
                v = v * 10 + Int(b[k] - 48)
            }
            return v
        }
        guard b.count >= 10, let y = num(0, 4), b[4] == UInt8(ascii: "-"), let mo = num(5, 2), b[7] == UInt8(ascii: "-"), let d = num(8, 2)
        else { return nil }
        if b.count == 10 { return Instant(year: y, month: mo, day: d) }
        guard b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "), let h = num(11, 2), b.count > 13, b[13] == UInt8(ascii: ":"),
              let mi = num(14, 2) else { return nil }
        var i = 16
        var s = 0
        var ms = 0
        if i < b.count && b[i] == UInt8(ascii: ":") {
            guard let sec = num(i + 1, 2) else { return nil }
            s = sec
            i += 3
            if i < b.count && b[i] == UInt8(ascii: ".") {
                i += 1
                var digits = 0
                while i < b.count && b[i] >= 48 && b[i] <= 57 {
                    if digits < 3 { ms = ms * 10 + Int(b[i] - 48) }
                    digits += 1
                    i += 1
                }
                guard digits > 0 else { return nil }
                for _ in digits..<3 where digits < 3 { ms *= 10 }
            }
        }
        var offsetMinutes = 0
        if i < b.count {
            if b[i] == UInt8(ascii: "Z") && i + 1 == b.count {
            } else if (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")), let oh = num(i + 1, 2), i + 6 == b.count,
                      b[i + 3] == UInt8(ascii: ":"), let om = num(i + 4, 2) {
                offsetMinutes = (oh * 60 + om) * (b[i] == UInt8(ascii: "+") ? 1 : -1)
            } else {
                return nil
            }
        }
        guard let base = Instant(year: y, month: mo, day: d, hour: h, minute: mi, second: s, millisecond: ms) else { return nil }
        return base.adding(seconds: Int64(-offsetMinutes * 60))
    }
}
