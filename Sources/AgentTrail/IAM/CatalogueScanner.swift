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
        // per action — ~1 MB over the catalogue's ~22,000 actions.)
        var resourceLists = [[ResourceRequirement]: [ResourceRequirement]]()
        try object { key, s in
            switch key {
            case "name": name = try s.string()
            case "conditionKeys":
                try s.object { key, s in conditionKeys.append(key); try s.skipValue() }
            case "resources":
                try s.object { typeName, s in
                    types.append(ResourceTypeInfo(prefix: prefix, name: typeName, arnTemplate: try s.string()))
                }
            case "actions":
                try s.object { actionName, s in
                    var access = AccessLevel.unknown
                    var resources = [ResourceRequirement]()
                    var permissionOnly = false
                    var dependent = [IAMAction]()
                    try s.object { k, s in
                        switch k {
                        case "dependentActions":
                            try s.array { s in if let a = IAMAction(try s.string()) { dependent.append(a) } }
                        case "access": access = AccessLevel(rawValue: try s.string()) ?? .unknown
                        case "resources":
                            try s.array { s in
                                let raw = try s.string()
                                if raw.utf8.last == UInt8(ascii: "*") {
                                    resources.append(ResourceRequirement(name: String(decoding: raw.utf8.dropLast(), as: UTF8.self),
                                                                         required: true))
                                } else {
                                    resources.append(ResourceRequirement(name: raw, required: false))
                                }
                            }
                        case "permissionOnly": permissionOnly = try s.bool()
                        default: try s.skipValue()
                        }
                    }
                    if !resources.isEmpty {
                        if let shared = resourceLists[resources] { resources = shared } else { resourceLists[resources] = resources }
                    }
                    actions.append(ActionInfo(action: IAMAction(prefix: prefix, name: actionName), accessLevel: access,
                                              resourceTypes: resources, permissionOnly: permissionOnly,
                                              dependentActions: dependent))
                }
            default: try s.skipValue()
            }
        }
        types.sort { $0.name < $1.name }
        actions.sort { $0.action < $1.action }
        conditionKeys.sort { $0.lowercased() < $1.lowercased() }
        return ServiceInfo(prefix: prefix, name: name, actions: actions, resourceTypes: types, conditionKeys: conditionKeys)
    }

    // MARK: - Primitives

    mutating func ws() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    mutating func expect(_ c: UInt8) throws {
        ws()
        guard i < bytes.count, bytes[i] == c else { throw Failure(offset: i, message: "expected '\(Character(UnicodeScalar(c)))'") }
        i += 1
    }

    mutating func peek() -> UInt8? { ws(); return i < bytes.count ? bytes[i] : nil }

    mutating func object(_ body: (String, inout CatalogueScanner) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        if peek() == UInt8(ascii: "}") { i += 1; return }
        while true {
            let key = try string()
            try expect(UInt8(ascii: ":"))
            try body(key, &self)
            ws()
            guard i < bytes.count else { throw Failure(offset: i, message: "unterminated object") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return }
            throw Failure(offset: i, message: "expected ',' or '}'")
        }
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
        case UInt8(ascii: "{"): try object { _, s in try s.skipValue() }
        case UInt8(ascii: "["): try array { s in try s.skipValue() }
        case UInt8(ascii: "\""): _ = try string()
        default:
            while i < bytes.count, !(bytes[i] == UInt8(ascii: ",") || bytes[i] == UInt8(ascii: "}") || bytes[i] == UInt8(ascii: "]")
                                    || bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09) { i += 1 }
        }
    }
}
