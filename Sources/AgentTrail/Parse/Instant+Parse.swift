extension Instant {
    /// Parses a CloudTrail `eventTime` from its raw bytes, without allocating.
    ///
    /// Accepts `YYYY-MM-DD` then `T` or a space, `HH:MM:SS`, optional fractional seconds of any length
    /// (truncated to milliseconds), then `Z`, `+HH:MM`, `-HH:MM`, `+HHMM`, `+HH`, or nothing (taken as UTC).
    /// Examples: `2025-07-14T18:22:09Z`, `2025-07-14T18:22:09.123456Z`, `2025-01-21 17:39:10.000000000`,
    /// `2020-11-05 21:21:46Z`, `2025-07-14T20:22:09+02:00`. Anything else (`[REDACTED]`, `...`) gives nil.
    public static func parseCloudTrail(_ bytes: UnsafeRawBufferPointer) -> Instant? {
        // (AWS documents eventTime as the request's completion time in UTC — "CloudTrail record contents for
        // management, data, and network activity events" — and its records write it `YYYY-MM-DDTHH:MM:SSZ`: that form is
        // read 8 bytes at a time, digits checked and taken as words. Only a shortcut: anything else, or a field out of
        // range, goes the general way, which decides it, so no form is assumed for correctness.)
        if bytes.count == 20, let t = canonical(bytes.baseAddress!) { return t }
        return parseCloudTrailGeneral(bytes)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` at `base` (20 bytes) when every field is in range and the second is below 60; else nil
    /// (the general parser then answers).
    @inline(__always)
    static func canonical(_ base: UnsafeRawPointer) -> Instant? {
        // Little-endian words: byte k of a word is bits 8k ..< 8k + 8.
        let a = UInt64(littleEndian: base.loadUnaligned(as: UInt64.self))                    // YYYY-MM-
        let b = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8, as: UInt64.self))  // DDTHH:MM
        let c = UInt64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 16, as: UInt32.self)))  // :SSZ
        // Separators where they belong; digits elsewhere (high nibble 3, low nibble at most 9).
        let sepA: UInt64 = 0xFF00_00FF_0000_0000, sepB: UInt64 = 0x0000_FF00_00FF_0000, sepC: UInt64 = 0xFF00_00FF
        guard a & sepA == 0x2D00_002D_0000_0000, b & sepB == 0x0000_3A00_0054_0000, c & sepC == 0x5A00_003A else {
            return nil
        }
        @inline(__always) func digits(_ x: UInt64, _ mask: UInt64) -> Bool {
            let hi = mask & 0xF0F0_F0F0_F0F0_F0F0, lo = mask & 0x0F0F_0F0F_0F0F_0F0F
            return x & hi == 0x3030_3030_3030_3030 & mask && ((x & lo) &+ (0x0606_0606_0606_0606 & mask)) & hi == 0
        }
        guard digits(a, ~sepA), digits(b, ~sepB), digits(c, 0x00FF_FF00) else { return nil }
        @inline(__always) func d(_ x: UInt64, _ k: UInt64) -> Int { Int((x >> (8 &* k)) & 0x0F) }
        let year = d(a, 0) &* 1000 &+ d(a, 1) &* 100 &+ d(a, 2) &* 10 &+ d(a, 3)
        let month = d(a, 5) &* 10 &+ d(a, 6)
        let day = d(b, 0) &* 10 &+ d(b, 1)
        let hour = d(b, 3) &* 10 &+ d(b, 4)
        let minute = d(b, 6) &* 10 &+ d(b, 7)
        let second = d(c, 1) &* 10 &+ d(c, 2)
        guard month >= 1, month <= 12, day >= 1, day <= 28 || day <= Instant.daysInMonth(year: year, month: month),
              hour <= 23, minute <= 59, second <= 59
        else { return nil }
        let days = Int64(Instant.daysFromCivil(year: year, month: month, day: day))
        return Instant(millisecondsSince1970: (days &* 86_400 &+ Int64(hour &* 3600 &+ minute &* 60 &+ second)) &* 1000)
    }

    /// `parseCloudTrail` without its fast path for the canonical form (the reference the fast path is tested against).
    static func parseCloudTrailGeneral(_ bytes: UnsafeRawBufferPointer) -> Instant? {
        let n = bytes.count
        guard n >= 19 else { return nil }
        @inline(__always) func digit(_ i: Int) -> Int? {
            let b = bytes[i]
            return b >= 0x30 && b <= 0x39 ? Int(b &- 0x30) : nil
        }
        @inline(__always) func num(_ i: Int, _ len: Int) -> Int? {
            var v = 0
            for k in i..<(i + len) {
                guard let d = digit(k) else { return nil }
                v = v * 10 + d
            }
            return v
        }
        guard let year = num(0, 4), bytes[4] == 0x2D, let month = num(5, 2), bytes[7] == 0x2D, let day = num(8, 2),
              bytes[10] == 0x54 || bytes[10] == 0x20 || bytes[10] == 0x74,
              let hour = num(11, 2), bytes[13] == 0x3A, let minute = num(14, 2), bytes[16] == 0x3A,
              let second = num(17, 2)
        else { return nil }
        var i = 19
        var millis = 0
        if i < n && (bytes[i] == 0x2E || bytes[i] == 0x2C) {
            i += 1
            var count = 0
            while i < n, let d = digit(i) {
                if count < 3 { millis = millis * 10 + d }
                count += 1
                i += 1
            }
            guard count > 0 else { return nil }
            while count < 3 { millis *= 10; count += 1 }
        }
        var offsetMinutes = 0
        if i < n {
            let z = bytes[i]
            if z == 0x5A || z == 0x7A {
                i += 1
            } else if z == 0x2B || z == 0x2D {
                let sign = z == 0x2D ? -1 : 1
                i += 1
                guard i + 2 <= n, let hh = num(i, 2), hh <= 23 else { return nil }
                i += 2
                var mm = 0
                if i < n && bytes[i] == 0x3A { i += 1 }
                if i + 2 <= n, let m = num(i, 2) {
                    guard m <= 59 else { return nil }
                    mm = m
                    i += 2
                }
                offsetMinutes = sign * (hh * 60 + mm)
            }
        }
        guard i == n,
              let base = Instant(year: year, month: month, day: day, hour: hour, minute: minute,
                                 second: min(second, 59), millisecond: millis)
        else { return nil }
        var ms = base.millisecondsSince1970 - Int64(offsetMinutes) * 60_000
        if second == 60 { ms += 1000 }  // leap second: roll over
        return Instant(millisecondsSince1970: ms)
    }

    /// Parses a CloudTrail `eventTime` from text; see `parseCloudTrail(_:)` for the accepted forms.
    public static func parseCloudTrail(_ text: String) -> Instant? {
        var text = text
        return text.withUTF8 { parseCloudTrail(UnsafeRawBufferPointer($0)) }
    }
}
