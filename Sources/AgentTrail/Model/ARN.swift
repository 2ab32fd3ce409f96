/// An Amazon Resource Name split into its parts:
/// `arn:partition:service:region:account:resource`.
public struct ARN: Hashable, Sendable, CustomStringConvertible {
    public var partition: String
    public var service: String
    public var region: String
    public var account: String
    /// Everything after the fifth colon, e.g. `role/path/Name` or `runtime/abc`.
    public var resource: String

    public init(partition: String = "aws", service: String, region: String, account: String, resource: String) {
        self.partition = partition
        self.service = service
        self.region = region
        self.account = account
        self.resource = resource
    }

    /// Parses an ARN; nil when the text does not have the six parts.
    public init?(_ text: some StringProtocol) {
        // (ASCII text, as every ARN AWS writes, is split at its colon bytes: for ASCII the Character split below
        // splits at the same places — no ASCII character joins a colon in one grapheme — and costs ~100
        // instructions a character; matching principals' ARNs parsed a few dozen ARNs for ~35,000 each.)
        if let parsed = StringBytes.withUTF8(text, { ARN.parseASCII($0) }) {
            guard let parsed else { return nil }
            self = parsed
            return
        }
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn" else { return nil }
        self.init(partition: String(parts[1]), service: String(parts[2]), region: String(parts[3]),
                  account: String(parts[4]), resource: String(parts[5]))
    }

    /// `init?(_:)` on ASCII bytes: nil when `b` is not ASCII (then the Character split decides), `.some(nil)` when
    /// it is but has fewer than five colons or does not start with `arn`.
    private static func parseASCII(_ b: UnsafeRawBufferPointer) -> ARN?? {
        guard let found = asciiColons(b) else { return nil }
        guard let colons = found else { return .some(nil) }
        func part(_ from: Int, _ to: Int) -> String { String(decoding: UnsafeRawBufferPointer(rebasing: b[from..<to]), as: UTF8.self) }
        return .some(ARN(partition: part(colons.0 + 1, colons.1), service: part(colons.1 + 1, colons.2),
                         region: part(colons.2 + 1, colons.3), account: part(colons.3 + 1, colons.4),
                         resource: part(colons.4 + 1, b.count)))
    }

    /// Where the five colons separating an ASCII ARN's six parts are (`parseASCII` splits there): nil when `b` is not
    /// ASCII, `.some(nil)` when it has fewer than five colons or does not start with `arn`.
    static func asciiColons(_ b: UnsafeRawBufferPointer) -> (Int, Int, Int, Int, Int)?? {
        var colons = (0, 0, 0, 0, 0), found = 0
        for i in b.indices {
            let byte = b[i]
            if byte >= 0x80 { return nil }
            if byte == 0x3A && found < 5 {
                switch found {
                case 0: colons.0 = i
                case 1: colons.1 = i
                case 2: colons.2 = i
                case 3: colons.3 = i
                default: colons.4 = i
                }
                found += 1
            }
        }
        guard found == 5, colons.0 == 3, b[0] == 0x61, b[1] == 0x72, b[2] == 0x6E else { return .some(nil) }  // "arn"
        return .some(colons)
    }

    /// The resource type: the part of `resource` before the first `/` or `:` (`role`, `runtime`, `foundation-model`).
    public var resourceType: String {
        if let ascii = ARN.asciiSeparator(resource, last: false) { return ascii.map { String(resource.utf8.prefix($0))! } ?? "" }
        if let i = resource.firstIndex(where: { $0 == "/" || $0 == ":" }) { return String(resource[..<i]) }
        return ""
    }

    /// The last path component of the resource (`MyRole` for `role/path/MyRole`).
    public var resourceName: String {
        if let ascii = ARN.asciiSeparator(resource, last: true) {
            return ascii.map { String(resource.utf8.dropFirst($0 + 1))! } ?? resource
        }
        if let i = resource.lastIndex(where: { $0 == "/" || $0 == ":" }) { return String(resource[resource.index(after: i)...]) }
        return resource
    }

    /// For ASCII `text`, the byte offset of its first (or last) `/` or `:` (`.some(nil)`: none); nil when `text` is
    /// not ASCII (then the Character search decides). For ASCII the two find the same place.
    private static func asciiSeparator(_ text: String, last: Bool) -> Int?? {
        StringBytes.withUTF8(text) { b -> Int?? in
            var at: Int?
            for i in b.indices {
                let byte = b[i]
                if byte >= 0x80 { return nil }
                if (byte == 0x2F || byte == 0x3A) && (last || at == nil) { at = i }
            }
            return .some(at)
        }
    }

    public var description: String { "arn:\(partition):\(service):\(region):\(account):\(resource)" }
}
