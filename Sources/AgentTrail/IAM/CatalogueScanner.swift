#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal byte-level JSON reader for the catalogue file: reads the known structure directly and skips
/// everything else. About 10x faster than `JSONSerialization` with bridging (the catalogue must load in
/// under 150 ms in release builds).
struct CatalogueScanner {
    struct Failure: Error { let offset: Int; let message: String }

    let bytes: [UInt8]
    var i = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// What `_meta` says about the data's origin (all empty for catalogues that predate these fields).
    struct Meta {
        var source = ""
        var package = ""
        var version = ""
        var date = ""
    }

    /// Parses `{"_meta": {"source", "sourcePackage", "sourceVersion", "sourceDate", ...}, "services": {prefix: {...}}}`.
    /// The services (in file order) and `_meta`; with `jobs` > 1 the services are parsed on up to that many threads
    /// (`servicesInParallel`), with the same result and, for a damaged file, the same error.
    mutating func parseCatalogue(jobs: Int = 1) throws -> (services: [ServiceInfo], meta: Meta) {
        var services = [ServiceInfo]()
        var meta = Meta()
        try object { key, s in
            switch key {
            case "services":
                if jobs > 1, let parsed = s.servicesInParallel(jobs: jobs) {
                    services = parsed
                } else {
                    try s.object { prefix, s in services.append(try s.service(prefix: prefix)) }
                }
            case "_meta":
                meta = try s.meta()
            default: try s.skipValue()
            }
        }
        return (services, meta)
    }

    /// Parses only `_meta` (the first key of the shipped file; the rest is not read when it comes first).
    /// The services object at the current position parsed on up to `jobs` threads: each service's bytes are found
    /// first (`JSONScan.skipValue`, no strings made), then parsed on their own. Nil, with the position unchanged,
    /// when anything is wrong: the caller then parses in one pass, which reports the error as it always has.
    mutating func servicesInParallel(jobs: Int) -> [ServiceInfo]? {
        let save = i
        var spans: [Span] = []
        let found: Void? = try? object { prefix, s in
            s.ws()
            let start = s.i
            guard let end = s.bytes.withUnsafeBufferPointer({ b in JSONScan.skipValue(b.baseAddress!, start, b.count) }) else {
                throw Failure(offset: start, message: "")
            }
            spans.append(Span(prefix: prefix, start: start))
            s.i = end
        }
        guard found != nil else { i = save; return nil }
        let bytes = self.bytes
        let parsed = ParallelMap.map(spans, jobs: jobs) { span -> ServiceInfo? in
            var scanner = CatalogueScanner(bytes)
            scanner.i = span.start
            return try? scanner.service(prefix: span.prefix)
        }
        guard parsed.allSatisfy({ $0 != nil }) else { i = save; return nil }
        return parsed.map { $0! }
    }

    /// Where one service's value starts.
    struct Span: Sendable {
        var prefix: String
        var start: Int
    }

    mutating func parseMetaOnly() throws -> Meta {
        let meta = Meta()
        try expect(UInt8(ascii: "{"))
        while peek() != UInt8(ascii: "}") {
            let key = try string()
            try expect(UInt8(ascii: ":"))
            if key == "_meta" { return try self.meta() }
            try skipValue()
            ws()
            if i < bytes.count, bytes[i] == UInt8(ascii: ",") { i += 1 }
        }
        return meta
    }

    mutating func meta() throws -> Meta {
        var meta = Meta()
        try object { k, s in
            switch k {
            case "source": meta.source = try s.string()
            case "sourcePackage": meta.package = try s.string()
            case "sourceVersion": meta.version = try s.string()
            case "sourceDate": meta.date = try s.string()
            default: try s.skipValue()
            }
        }
        return meta
    }

    mutating func service(prefix: String) throws -> ServiceInfo {
        var name = prefix
        var types = [ResourceTypeInfo]()
        var actions = [ActionInfo]()
        var conditionKeys = [String]()
        // (Most of a service's actions list one of a few resource-type lists: each list stored once, not one array
        // per action — ~1 MB over the catalogue's ~22,000 actions. Found by the list as written, so a list met
        // before is neither parsed nor hashed as values again.)
        var resourceLists = SpanTable<[ResourceRequirement]>(limit: 1 << 12)
        // (A dependent action named before in this service, by its bytes as written: `iam:PassRole` and the like
        // recur, and each `IAMAction` made from text cost ~3,300 instructions.)
        var dependents = SpanTable<IAMAction?>(limit: 1 << 12)
        // (Member names compared as written, on bytes: the catalogue has ~120,000 of them, and a `String` made and
        // compared for each was a quarter of the load.)
        try objectWritten { key, s in
            if s.isText(key, "name") {
                name = try s.string()
            } else if s.isText(key, "conditionKeys") {
                try s.objectWritten { key, s in conditionKeys.append(try s.text(key)); try s.skipValue() }
            } else if s.isText(key, "resources") {
                try s.objectWritten { typeName, s in
                    types.append(ResourceTypeInfo(prefix: prefix, name: try s.text(typeName), arnTemplate: try s.string()))
                }
            } else if s.isText(key, "actions") {
                try s.objectWritten { actionName, s in
                    var access = AccessLevel.unknown
                    var resources = [ResourceRequirement]()
                    var permissionOnly = false
                    var dependent = [IAMAction]()
                    try s.objectWritten { k, s in
                        if s.isText(k, "dependentActions") {
                            try s.array { s in if let a = try s.dependentAction(&dependents) { dependent.append(a) } }
                        } else if s.isText(k, "access") {
                            access = s.accessLevel(try s.written())
                        } else if s.isText(k, "resources") {
                            resources = try s.resourceList(&resourceLists)
                        } else if s.isText(k, "permissionOnly") {
                            permissionOnly = try s.bool()
                        } else {
                            try s.skipValue()
                        }
                    }
                    actions.append(ActionInfo(action: IAMAction(prefix: prefix, name: try s.text(actionName)), accessLevel: access,
                                              resourceTypes: resources, permissionOnly: permissionOnly,
                                              dependentActions: dependent))
                }
            } else {
                try s.skipValue()
            }
        }
        types.sort { $0.name < $1.name }
        actions.sort { $0.action < $1.action }
        // (Each key lowercased once, not twice per comparison; the sort is stable either way.)
        conditionKeys = conditionKeys.map { (folded: $0.lowercased(), key: $0) }.sorted { $0.folded < $1.folded }.map(\.key)
        return ServiceInfo(prefix: prefix, name: name, actions: actions, resourceTypes: types, conditionKeys: conditionKeys)
    }

    /// An action's `resources` list (`["type*", "other"]`: `*` marks a required type). A list written the same way
    /// as one met before in `lists` is that list, found by its bytes without parsing it or making a `String` of it;
    /// malformed input is parsed, so it fails with the error it always had.
    mutating func resourceList(_ lists: inout SpanTable<[ResourceRequirement]>) throws -> [ResourceRequirement] {
        ws()
        let start = i
        let bytes = self.bytes  // (a reference to the same storage: the scanner itself moves on while it is read)
        return try bytes.withUnsafeBufferPointer { b in
            guard start < b.count, b[start] == UInt8(ascii: "["), let end = JSONScan.skipValue(b.baseAddress!, start, b.count) else {
                return try parseResourceList()
            }
            let list = try lists.lookup(b.baseAddress!, start, end) { try parseResourceList() }.value
            i = end
            return list
        }
    }

    private mutating func parseResourceList() throws -> [ResourceRequirement] {
        var list = [ResourceRequirement]()
        try array { s in
            let raw = try s.string()
            if raw.utf8.last == UInt8(ascii: "*") {
                list.append(ResourceRequirement(name: String(decoding: raw.utf8.dropLast(), as: UTF8.self), required: true))
            } else {
                list.append(ResourceRequirement(name: raw, required: false))
            }
        }
        return list
    }

    /// The next string as an action (`IAMAction("prefix:Name")`, nil when it is not one), the same string met
    /// before in `known` found by its bytes.
    mutating func dependentAction(_ known: inout SpanTable<IAMAction?>) throws -> IAMAction? {
        let w = try written()
        guard w.plain else { return IAMAction(try text(w)) }
        return self.bytes.withUnsafeBufferPointer { b in
            known.lookup(b.baseAddress!, w.start, w.end) { IAMAction(String(decoding: b[w.start..<w.end], as: UTF8.self)) }.value
        }
    }

    /// The access level a written string names; `.unknown` for any other text.
    func accessLevel(_ w: Written) -> AccessLevel {
        if w.plain {
            return bytes.withUnsafeBufferPointer { b in
                AccessLevel.allCases.first { StringBytes.sameBytes(b.baseAddress! + w.start, w.end - w.start, $0.rawValue) }
            } ?? .unknown
        }
        return (try? text(w)).flatMap(AccessLevel.init(rawValue:)) ?? .unknown
    }

    // MARK: - Written strings

    /// A string as written in the file: where its bytes are (between the quotes) and whether they are `plain` —
    /// ASCII without escapes, so that comparing the bytes is comparing the strings.
    struct Written {
        var start: Int
        var end: Int
        var plain: Bool
    }

    /// The next string, not made into a `String`: the same checks and errors as `string()` (an escaped string is
    /// unescaped here, so a bad `\u` escape fails where it always did).
    mutating func written() throws -> Written {
        try expect(UInt8(ascii: "\""))
        let start = i
        var hasEscape = false, ascii = true
        // (On the buffer, without a bounds check per byte.)
        i = bytes.withUnsafeBufferPointer { b in
            var k = start
            // (Eight bytes at a time while none is a quote, a backslash or above 0x7F: the catalogue's ~110,000
            // strings are mostly plain names, and byte by byte they cost ~236 instructions each.)
            let raw = UnsafeRawPointer(b.baseAddress!)
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            let quotes = ones &* 0x22, backslashes = ones &* 0x5C
            while k &+ 8 <= b.count {
                let w = raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)
                let q = w ^ quotes, e = w ^ backslashes
                // (`(x - ones) & ~x & highs` is non-zero exactly when some byte of `x` is zero; which bytes it marks
                // does not matter here: the byte loop below decides from the first byte of the word.)
                if ((q &- ones) & ~q | (e &- ones) & ~e | w) & highs != 0 { break }
                k &+= 8
            }
            while k < b.count {
                let c = b[k]
                if c == UInt8(ascii: "\"") { break }
                if c == UInt8(ascii: "\\") { hasEscape = true; k += 1 } else if c >= 0x80 { ascii = false }
                k += 1
            }
            return k
        }
        guard i < bytes.count else { throw Failure(offset: start, message: "unterminated string") }
        let end = i
        i += 1
        if hasEscape { _ = try unescape(bytes[start..<end], at: start) }
        return Written(start: start, end: end, plain: ascii && !hasEscape)
    }

    /// The `String` a written string stands for.
    func text(_ w: Written) throws -> String {
        w.plain ? String(decoding: bytes[w.start..<w.end], as: UTF8.self) : try unescape(bytes[w.start..<w.end], at: w.start)
    }

    /// `text(w) == name` for an ASCII `name`: on bytes when the string is plain (for ASCII text, equal bytes and
    /// equal strings are the same thing); through `String ==` otherwise, as before.
    func isText(_ w: Written, _ name: StaticString) -> Bool {
        guard w.plain else { return (try? text(w)) == name.description }
        let n = name.utf8CodeUnitCount
        guard w.end - w.start == n else { return false }
        return bytes.withUnsafeBufferPointer { b in memcmp(b.baseAddress! + w.start, name.utf8Start, n) == 0 }
    }

    /// `object`, with each member name given as written.
    mutating func objectWritten(_ body: (Written, inout CatalogueScanner) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        if peek() == UInt8(ascii: "}") { i += 1; return }
        while true {
            let key = try written()
            try expect(UInt8(ascii: ":"))
            try body(key, &self)
            ws()
            guard i < bytes.count else { throw Failure(offset: i, message: "unterminated object") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return }
            throw Failure(offset: i, message: "expected ',' or '}'")
        }
    }

    // MARK: - Primitives

    @inline(__always)
    mutating func ws() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    @inline(__always)
    mutating func expect(_ c: UInt8) throws {
        ws()
        guard i < bytes.count, bytes[i] == c else { throw Failure(offset: i, message: "expected '\(Character(UnicodeScalar(c)))'") }
        i += 1
    }

    mutating func peek() -> UInt8? { ws(); return i < bytes.count ? bytes[i] : nil }

    /// The members of the object at the current position, each name given as a `String` (`objectWritten`, the one
    /// member loop: same checks, same errors).
    mutating func object(_ body: (String, inout CatalogueScanner) throws -> Void) throws {
        try objectWritten { key, s in try body(try s.text(key), &s) }
    }

    mutating func array(_ body: (inout CatalogueScanner) throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        if peek() == UInt8(ascii: "]") { i += 1; return }
        while true {
            try body(&self)
            ws()
            guard i < bytes.count else { throw Failure(offset: i, message: "unterminated array") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return }
            throw Failure(offset: i, message: "expected ',' or ']'")
        }
    }

    mutating func string() throws -> String {
        try expect(UInt8(ascii: "\""))
        let start = i
        var hasEscape = false
        while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
            if bytes[i] == UInt8(ascii: "\\") { hasEscape = true; i += 1 }
            i += 1
        }
        guard i < bytes.count else { throw Failure(offset: start, message: "unterminated string") }
        let raw = bytes[start..<i]
        i += 1
        if !hasEscape { return String(decoding: raw, as: UTF8.self) }
        return try unescape(raw, at: start)
    }

    func unescape(_ raw: ArraySlice<UInt8>, at offset: Int) throws -> String {
        var out = [UInt8]()
        var scalars = String.UnicodeScalarView()
        var k = raw.startIndex
        func flush() { if !out.isEmpty { scalars.append(contentsOf: String(decoding: out, as: UTF8.self).unicodeScalars); out.removeAll() } }
        func hex4(_ at: Int) throws -> UInt32 {
            guard at + 4 <= raw.endIndex, let v = UInt32(String(decoding: raw[at..<(at + 4)], as: UTF8.self), radix: 16) else {
                throw Failure(offset: offset, message: "bad \\u escape")
            }
            return v
        }
        while k < raw.endIndex {
            let b = raw[k]
            guard b == UInt8(ascii: "\\"), k + 1 < raw.endIndex else { out.append(b); k += 1; continue }
            let e = raw[k + 1]
            k += 2
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                var v = try hex4(k)
                k += 4
                if (0xD800..<0xDC00).contains(v), k + 6 <= raw.endIndex, raw[k] == UInt8(ascii: "\\"), raw[k + 1] == UInt8(ascii: "u") {
                    let low = try hex4(k + 2)
                    if (0xDC00..<0xE000).contains(low) { v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00); k += 6 }
                }
                flush()
                scalars.append(UnicodeScalar(v) ?? "\u{FFFD}")
            default: out.append(e)
            }
        }
        flush()
        return String(scalars)
    }

    mutating func bool() throws -> Bool {
        ws()
        if bytes[i...].starts(with: Array("true".utf8)) { i += 4; return true }
        if bytes[i...].starts(with: Array("false".utf8)) { i += 5; return false }
        throw Failure(offset: i, message: "expected a boolean")
    }

    mutating func skipValue() throws {
        guard let c = peek() else { throw Failure(offset: i, message: "unexpected end") }
        switch c {
        // (Walked member by member, not by the record scanner's container skip, which matches brackets and strings
        // but does not check the rest: a damaged value the catalogue skips still fails with its offset.)
        case UInt8(ascii: "{"): try objectWritten { _, s in try s.skipValue() }
        case UInt8(ascii: "["): try array { s in try s.skipValue() }
        case UInt8(ascii: "\""): _ = try written()
        default:
            while i < bytes.count, !(bytes[i] == UInt8(ascii: ",") || bytes[i] == UInt8(ascii: "}") || bytes[i] == UInt8(ascii: "]")
                                    || bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09) { i += 1 }
        }
    }
}
