extension ActionCatalogue {
    /// The resource type of `prefix` whose ARN template matches a concrete ARN, e.g.
    /// `arn:aws:bedrock-agentcore:us-east-1:123:runtime/abc/runtime-endpoint/DEFAULT` → `runtime-endpoint`.
    /// Template variables (`${Partition}`, `${Region}`, `${Account}`, `${RuntimeId}`, ...) act as wildcards;
    /// when several templates match, the one with the most literal text wins.
    public func resourceType(matching arn: String, prefix: String) -> ResourceTypeInfo? {
        // (The types read in place and the best kept by index; each glob's count of literal characters made once, with
        // the type: a review asks this per distinct ARN, and the count, made per call as a filtered string, and the
        // copies of each type were most of its cost.)
        let types = resourceTypes(prefix: prefix)
        var best: (index: Int, literal: Int)?
        for i in types.indices {
            guard Glob.matches(types[i].arnGlob, arn) else { continue }
            let literal = types[i].arnGlobLiteralCount
            if best == nil || literal > best!.literal { best = (i, literal) }
        }
        return best.map { types[$0.index] }
    }

    /// Resource types (of any prefix) whose ARN template could match some ARN that the policy ARN
    /// pattern `pattern` (which may contain `*` and `?`) also matches. Only the resource field is compared;
    /// the service field must be literal. Returns nil when the pattern's service is a wildcard or unknown
    /// to the catalogue (nothing can be said).
    public func resourceTypes(compatibleWith pattern: String) -> [ResourceTypeInfo]? {
        let fields = pattern.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard fields.count >= 3, fields[0] == "arn" || Glob.hasWildcard(fields[0]) else { return nil }
        let service = String(fields[2])
        guard !Glob.hasWildcard(service), let templates = templatesByArnService[service.lowercased()] else { return nil }
        guard fields.count == 6 else {
            // `arn:aws:svc:*`: the last wildcard spans the remaining fields.
            return Glob.hasWildcard(fields[fields.count - 1]) ? templates : []
        }
        let resource = Array(fields[5].utf8)
        return templates.filter { type in
            ActionCatalogue.globsIntersect(resource, type.resourceGlobBytes)
        }
    }

    /// All ARN templates whose service field is `arnService` (e.g. `bedrock-agentcore`).
    public func resourceTypes(arnService: String) -> [ResourceTypeInfo] {
        templatesByArnService[arnService.lowercased()] ?? []
    }

    /// Replaces every `${Name}` in a template with `*`.
    static func templateGlob(_ template: String) -> String {
        String(decoding: StringBytes.withUTF8(template) { templateGlob($0) }, as: UTF8.self)
    }

    /// `templateGlob` on a template's UTF-8 bytes (`${` and `}` are ASCII, so UTF-8 sequences pass through whole).
    static func templateGlob(_ b: UnsafeRawBufferPointer) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "$"), i + 1 < b.count, b[i + 1] == UInt8(ascii: "{"),
               let close = b[(i + 2)...].firstIndex(of: UInt8(ascii: "}")) {
                out.append(UInt8(ascii: "*"))
                i = close + 1
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return out
    }

    /// True when some string matches both glob patterns (`*` any run, `?` one character).
    ///
    /// A search over pairs of positions (`i` in `a`, `j` in `b`), each pair visited once: the pairs seen are bits
    /// of one temporary bitmap (on the stack for globs of usual length), the pairs to visit numbers on one array.
    /// (With a `Set<Int>` of the pairs seen and an array of pairs, an ARN pattern against a resource type's template
    /// cost ~6,700 instructions a call, most of it hashing: 17 M instructions of the grants' derivation for the
    /// real-shaped bench's policies.)
    static func globsIntersect(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        let width = b.count + 1
        let states = (a.count + 1) * width
        return a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                withUnsafeTemporaryAllocation(of: UInt64.self, capacity: (states + 63) / 64) { seen in
                    seen.initialize(repeating: 0)
                    return globsIntersect(a, b, width: width, seen: seen)
                }
            }
        }
    }

    private static func globsIntersect(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, width: Int,
                                       seen: UnsafeMutableBufferPointer<UInt64>) -> Bool {
        let star: UInt8 = 0x2A, any: UInt8 = 0x3F
        var stack: [Int] = [0]  // (pair (i, j) as i * width + j)
        stack.reserveCapacity(32)
        while let state = stack.popLast() {
            let word = state >> 6, bit = UInt64(1) << UInt64(state & 63)
            if seen[word] & bit != 0 { continue }
            seen[word] |= bit
            let i = state / width, j = state - i * width
            if i == a.count && j == b.count { return true }
            if i < a.count && a[i] == star {
                stack.append(state + width)  // (i + 1, j)
                if j < b.count { stack.append(state + 1) }  // (i, j + 1)
            }
            if j < b.count && b[j] == star {
                stack.append(state + 1)  // (i, j + 1)
                if i < a.count { stack.append(state + width) }  // (i + 1, j)
            }
            if i < a.count, j < b.count, a[i] != star, b[j] != star,
               a[i] == b[j] || a[i] == any || b[j] == any {
                stack.append(state + width + 1)  // (i + 1, j + 1)
            }
        }
        return false
    }
}
