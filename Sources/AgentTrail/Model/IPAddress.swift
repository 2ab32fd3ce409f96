/// An IPv4 or IPv6 address.
public enum IPAddress: Hashable, Sendable, CustomStringConvertible {
    case v4(UInt32)
    /// High and low 64 bits, network order.
    case v6(UInt64, UInt64)

    /// Parses dotted IPv4 or RFC 4291 IPv6 text (including `::` and embedded IPv4). Returns nil otherwise.
    public init?(_ text: some StringProtocol) {
        guard let parsed = StringBytes.withUTF8(text, IPAddress.parse) else { return nil }
        self = parsed
    }

    /// Parses from raw ASCII bytes without allocating a String.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> IPAddress? {
        if bytes.isEmpty || bytes.count > 45 { return nil }
        var hasColon = false
        for b in bytes where b == UInt8(ascii: ":") { hasColon = true; break }
        if !hasColon { return parseV4(bytes[...]).map { .v4($0) } }
        return parseV6(bytes)
    }

    private static func parseV4(_ bytes: Slice<UnsafeRawBufferPointer>) -> UInt32? {
        var value: UInt32 = 0
        var octet: UInt32 = 0
        var digits = 0
        var parts = 0
        for b in bytes {
            if b >= 48 && b <= 57 {
                octet = octet * 10 + UInt32(b - 48)
                digits += 1
                if digits > 3 || octet > 255 { return nil }
            } else if b == UInt8(ascii: ".") {
                if digits == 0 { return nil }
                value = value << 8 | octet
                parts += 1
                octet = 0
                digits = 0
            } else {
                return nil
            }
        }
        if digits == 0 || parts != 3 { return nil }
        return value << 8 | octet
    }

    private static func parseV6(_ bytes: UnsafeRawBufferPointer) -> IPAddress? {
        var groups = [UInt16]()
        groups.reserveCapacity(8)
        var doubleColonAt: Int? = nil
        var i = 0
        let n = bytes.count
        if n >= 2 && bytes[0] == UInt8(ascii: ":") && bytes[1] == UInt8(ascii: ":") {
            doubleColonAt = 0
            i = 2
            if i == n { return .v6(0, 0) }
        } else if bytes[0] == UInt8(ascii: ":") {
            return nil
        }
        while i < n {
            // Find the end of this group.
            var j = i
            var sawDot = false
            while j < n && bytes[j] != UInt8(ascii: ":") {
                if bytes[j] == UInt8(ascii: ".") { sawDot = true }
                j += 1
            }
            if sawDot {
                guard j == n, let v4 = parseV4(bytes[i..<j]) else { return nil }
                groups.append(UInt16(v4 >> 16))
                groups.append(UInt16(v4 & 0xFFFF))
                i = n
                break
            }
            let len = j - i
            if len == 0 || len > 4 { return nil }
            var g: UInt16 = 0
            for k in i..<j {
                guard let h = hexValue(bytes[k]) else { return nil }
                g = g << 4 | UInt16(h)
            }
            groups.append(g)
            if j == n { i = n; break }
            // bytes[j] == ':'
            if j + 1 < n && bytes[j + 1] == UInt8(ascii: ":") {
                if doubleColonAt != nil { return nil }
                doubleColonAt = groups.count
                i = j + 2
            } else {
                i = j + 1
                if i == n { return nil }
            }
        }
        if let at = doubleColonAt {
            if groups.count > 7 { return nil }
            let fill = [UInt16](repeating: 0, count: 8 - groups.count)
            groups.insert(contentsOf: fill, at: at)
        }
        guard groups.count == 8 else { return nil }
        var hi: UInt64 = 0
        var lo: UInt64 = 0
        for k in 0..<4 { hi = hi << 16 | UInt64(groups[k]) }
        for k in 4..<8 { lo = lo << 16 | UInt64(groups[k]) }
        return .v6(hi, lo)
    }

    @inline(__always)
    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 48...57: return b - 48
        case 97...102: return b - 87
        case 65...70: return b - 55
        default: return nil
        }
    }

    /// True for IPv4.
    public var isV4: Bool { if case .v4 = self { return true } else { return false } }

    /// The /24 (IPv4) or /48 (IPv6) network that contains this address, used for baselines.
    public var baselineNetwork: CIDR {
        switch self {
        case .v4: return CIDR(address: self, prefixLength: 24)
        case .v6: return CIDR(address: self, prefixLength: 48)
        }
    }

    public var description: String {
        switch self {
        case .v4(let v):
            // (Digits written straight into the string's storage: no interpolation, no intermediate strings.)
            return String(unsafeUninitializedCapacity: 15) { buf in
                var n = 0
                for k in 0..<4 {
                    let octet = Int((v >> UInt32(24 - 8 * k)) & 0xFF)
                    if k > 0 { buf[n] = UInt8(ascii: "."); n += 1 }
                    if octet >= 100 { buf[n] = UInt8(48 + octet / 100); n += 1 }
                    if octet >= 10 { buf[n] = UInt8(48 + (octet / 10) % 10); n += 1 }
                    buf[n] = UInt8(48 + octet % 10); n += 1
                }
                return n
            }
        case .v6(let hi, let lo):
            var groups = [UInt16]()
            for k in (0..<4).reversed() { groups.append(UInt16((hi >> (UInt64(k) * 16)) & 0xFFFF)) }
            for k in (0..<4).reversed() { groups.append(UInt16((lo >> (UInt64(k) * 16)) & 0xFFFF)) }
            // Longest run of zeros (length >= 2) becomes "::".
            var bestStart = -1, bestLen = 0, curStart = -1, curLen = 0
            for (idx, g) in groups.enumerated() {
                if g == 0 {
                    if curStart < 0 { curStart = idx; curLen = 0 }
                    curLen += 1
                    if curLen > bestLen { bestStart = curStart; bestLen = curLen }
                } else { curStart = -1; curLen = 0 }
            }
            let hex = groups.map { String($0, radix: 16) }
            if bestLen < 2 { return hex.joined(separator: ":") }
            let left = hex[0..<bestStart].joined(separator: ":")
            let right = hex[(bestStart + bestLen)...].joined(separator: ":")
            return left + "::" + right
        }
    }
}

/// An address block such as `203.0.113.0/24` or `2001:db8::/32`.
public struct CIDR: Hashable, Sendable, CustomStringConvertible {
    /// The network address (host bits cleared).
    public let address: IPAddress
    public let prefixLength: Int

    public init(address: IPAddress, prefixLength: Int) {
        let maxLen = address.isV4 ? 32 : 128
        let len = max(0, min(prefixLength, maxLen))
        self.prefixLength = len
        self.address = CIDR.mask(address, len)
    }

    /// Parses `a.b.c.d/n`, `x::/n`, or a bare address (host route); ASCII spaces, tabs and line breaks around it are
    /// ignored.
    public init?(_ text: some StringProtocol) {
        guard let parsed = StringBytes.withUTF8(text, CIDR.parse) else { return nil }
        self = parsed
    }

    /// Parses a CIDR from raw ASCII bytes (as `init?(_:)`, without making strings: the shipped AWS ranges parse
    /// ~10,000 of them when a scan starts). The length is what `Int(_:)` reads — an optional sign, then decimal
    /// digits — within 0...32 or 0...128.
    public static func parse(_ raw: UnsafeRawBufferPointer) -> CIDR? {
        @inline(__always) func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        var start = 0, end = raw.count
        while start < end, isSpace(raw[start]) { start += 1 }
        while end > start, isSpace(raw[end - 1]) { end -= 1 }
        var slash = start
        while slash < end, raw[slash] != UInt8(ascii: "/") { slash += 1 }
        guard let address = IPAddress.parse(UnsafeRawBufferPointer(rebasing: raw[start..<slash])) else { return nil }
        let maxLen = address.isV4 ? 32 : 128
        guard slash < end else { return CIDR(address: address, prefixLength: maxLen) }
        var i = slash + 1
        var negative = false
        if i < end, raw[i] == UInt8(ascii: "+") || raw[i] == UInt8(ascii: "-") { negative = raw[i] == UInt8(ascii: "-"); i += 1 }
        guard i < end else { return nil }
        var len = 0
        while i < end {
            let d = raw[i] &- 48
            guard d < 10 else { return nil }
            len = len * 10 + Int(d)
            guard len <= 1_000 else { return nil }   // (beyond any valid length; and no overflow)
            i += 1
        }
        if negative { guard len == 0 else { return nil } }
        guard len <= maxLen else { return nil }
        return CIDR(address: address, prefixLength: len)
    }

    /// True when `ip` lies inside this block. IPv4-mapped IPv6 addresses are not folded.
    public func contains(_ ip: IPAddress) -> Bool {
        switch (address, ip) {
        case (.v4, .v4), (.v6, .v6): return CIDR.mask(ip, prefixLength) == address
        default: return false
        }
    }

    static func mask(_ ip: IPAddress, _ len: Int) -> IPAddress {
        switch ip {
        case .v4(let v):
            if len == 0 { return .v4(0) }
            return .v4(v & (UInt32.max << UInt32(32 - len)))
        case .v6(let hi, let lo):
            if len == 0 { return .v6(0, 0) }
            if len <= 64 {
                return .v6(hi & (UInt64.max << UInt64(64 - len)), 0)
            }
            if len == 128 { return ip }
            return .v6(hi, lo & (UInt64.max << UInt64(128 - len)))
        }
    }

    public var description: String { "\(address)/\(prefixLength)" }
}

extension StringProtocol {
    /// The text without leading and trailing ASCII spaces, tabs and newlines.
    var trimmingASCIIWhitespace: Substring {
        let s = Substring(self)
        var start = s.startIndex
        var end = s.endIndex
        while start < end, s[start] == " " || s[start] == "\t" || s[start] == "\n" || s[start] == "\r" { start = s.index(after: start) }
        while end > start {
            let before = s.index(before: end)
            if s[before] == " " || s[before] == "\t" || s[before] == "\n" || s[before] == "\r" { end = before } else { break }
        }
        return s[start..<end]
    }
}
