/// Lazy accessors over the raw bytes of a JSON value. Nothing is decoded until asked; malformed input
/// gives nil or empty results, never a crash.
extension RawJSON {
    /// The value of `key` in this object (nil when not an object or the key is missing). Last duplicate wins.
    public func value(forKey key: String) -> RawJSON? {
        withMember(key) { p, s in RawJSON(bytes: Array(UnsafeBufferPointer(start: p + s.start, count: s.end - s.start))) }
    }

    /// `body` on the span of `key`'s value in this object (nil when not an object or the key is missing; the last
    /// duplicate wins).
    private func withMember<T>(_ key: String, _ body: (UnsafePointer<UInt8>, ByteSpan) -> T?) -> T? {
        withPointer { p, n in RawJSON.member(p, ByteSpan(start: 0, end: n), key).flatMap { body(p, $0) } }
    }

    /// The span of `key`'s value in the object at `span` (after optional whitespace), as `value(forKey:)` finds it
    /// in a copy of those bytes: nil when not an object or the key is missing, the last duplicate wins, and members
    /// after a malformed one are not seen.
    private static func member(_ p: UnsafePointer<UInt8>, _ span: ByteSpan, _ key: String) -> ByteSpan? {
        let start = JSONScan.skipSpace(p, span.start, span.end)
        guard start < span.end, p[start] == 0x7B else { return nil }
        var found: ByteSpan? = nil
        _ = try? JSONScan.forEachMember(p, start, span.end) { ks, ke, esc, vs, ve in
            if RawJSON.keyMatches(p, ks, ke, esc, key) { found = ByteSpan(start: vs, end: ve) }
            return true
        }
        return found
    }

    /// The span of element `index` of the array at `span`, as `arrayElements` lists them in a copy of those bytes
    /// (elements after a malformed one are not seen).
    private static func element(_ p: UnsafePointer<UInt8>, _ span: ByteSpan, _ index: Int) -> ByteSpan? {
        let start = JSONScan.skipSpace(p, span.start, span.end)
        guard start < span.end, p[start] == 0x5B else { return nil }
        var found: ByteSpan? = nil, i = 0
        _ = try? JSONScan.forEachElement(p, start, span.end) { vs, ve in
            if i == index {
                found = ByteSpan(start: vs, end: ve)
                return false
            }
            i += 1
            return true
        }
        return found
    }

    /// Follows `path` through nested objects (a component that is a number also indexes into arrays).
    public func value(atPath path: String...) -> RawJSON? { value(atPath: path) }

    /// Follows `path` through nested objects (a component that is a number also indexes into arrays).
    public func value(atPath path: [String]) -> RawJSON? {
        if path.isEmpty { return self }
        return withPointer { p, n in
            RawJSON.span(p, n, atPath: path).map { RawJSON(bytes: Array(UnsafeBufferPointer(start: p + $0.start, count: $0.end - $0.start))) }
        }
    }

    /// The span of the value at `path` in `p[..<n]`, each step read in place from the span of the value before it
    /// (a component names a member, else, when it is a number, indexes an array).
    private static func span(_ p: UnsafePointer<UInt8>, _ n: Int, atPath path: [String]) -> ByteSpan? {
        var span = ByteSpan(start: 0, end: n)
        for component in path {
            if let next = member(p, span, component) {
                span = next
            } else if let index = Int(component), index >= 0, let next = element(p, span, index) {
                span = next
            } else {
                return nil
            }
        }
        return span
    }

    /// A string value unescaped; a number or `true`/`false` as its text; nil for `null`, objects and arrays.
    public var stringValue: String? {
        withPointer { p, n in
            let s = JSONScan.skipSpace(p, 0, n)
            guard s < n, let e = JSONScan.skipValue(p, s, n) else { return nil }
            return SpanValue.string(p, ByteSpan(start: s, end: e))
        }
    }

    /// `value(forKey:)?.stringValue`, read in place (no copy of the value's bytes).
    public func string(forKey key: String) -> String? { withMember(key) { p, s in SpanValue.string(p, s) } }

    /// `(string(forKey: first), string(forKey: second))` in one pass over the members.
    public func strings(forKey first: String, _ second: String) -> (String?, String?) {
        let spans: (ByteSpan?, ByteSpan?)? = withPointer { p, n in
            let start = JSONScan.skipSpace(p, 0, n)
            guard start < n, p[start] == 0x7B else { return nil }
            var a: ByteSpan? = nil, b: ByteSpan? = nil
            _ = try? JSONScan.forEachMember(p, start, n) { ks, ke, esc, vs, ve in
                if RawJSON.keyMatches(p, ks, ke, esc, first) { a = ByteSpan(start: vs, end: ve) }
                else if RawJSON.keyMatches(p, ks, ke, esc, second) { b = ByteSpan(start: vs, end: ve) }
                return true
            }
            return (a, b)
        }
        guard let spans, spans.0 != nil || spans.1 != nil else { return (nil, nil) }
        return bytes.withUnsafeBufferPointer { buf in
            let p = buf.baseAddress!
            return (spans.0.flatMap { SpanValue.string(p, $0) }, spans.1.flatMap { SpanValue.string(p, $0) })
        }
    }

    /// `value(atPath:)?.stringValue`, read in place (no value on the path copied: an STS response's `credentials`
    /// object, session token included, was copied to read its `accessKeyId`).
    public func string(atPath path: String...) -> String? { string(atPath: path) }

    /// `string(atPath:)` with the path as an array.
    public func string(atPath path: [String]) -> String? {
        withPointer { p, n in
            guard let span = RawJSON.span(p, n, atPath: path) else { return nil }
            let s = JSONScan.skipSpace(p, span.start, span.end)
            guard s < span.end, let e = JSONScan.skipValue(p, s, span.end) else { return nil }
            return SpanValue.string(p, ByteSpan(start: s, end: e))
        }
    }

    /// The elements of this array (empty when not an array).
    public var arrayElements: [RawJSON] {
        withPointer { p, n in
            var out: [RawJSON] = []
            let start = JSONScan.skipSpace(p, 0, n)
            guard start < n, p[start] == 0x5B else { return out }
            _ = try? JSONScan.forEachElement(p, start, n) { vs, ve in
                out.append(RawJSON(bytes: Array(UnsafeBufferPointer(start: p + vs, count: ve - vs))))
                return true
            }
            return out
        }
    }

    /// The members of this object in order (empty when not an object); keys are unescaped.
    public var objectEntries: [(key: String, value: RawJSON)] {
        withPointer { p, n in
            var out: [(key: String, value: RawJSON)] = []
            let start = JSONScan.skipSpace(p, 0, n)
            guard start < n, p[start] == 0x7B else { return out }
            _ = try? JSONScan.forEachMember(p, start, n) { ks, ke, _, vs, ve in
                let key = JSONUnescape.string(from: UnsafeRawBufferPointer(start: p + ks, count: ke - ks))
                out.append((key, RawJSON(bytes: Array(UnsafeBufferPointer(start: p + vs, count: ve - vs)))))
                return true
            }
            return out
        }
    }

    /// Every string value stored under `key` anywhere inside this value (depth-first, in document order).
    /// When the value under `key` is an array, its string elements are included. Used to pull e.g. `modelId`
    /// or `bucketName` out of `requestParameters` without knowing its layout.
    public func findStrings(forKey key: String) -> [String] {
        withPointer { p, n in
            var out: [String] = []
            let s = JSONScan.skipSpace(p, 0, n)
            guard s < n, let e = JSONScan.skipValue(p, s, n) else { return out }
            RawJSON.collect(p, ByteSpan(start: s, end: e), key, &out, depth: 0)
            return out
        }
    }

    private static func collect(_ p: UnsafePointer<UInt8>, _ span: ByteSpan, _ key: String, _ out: inout [String], depth: Int) {
        guard depth < 512 else { return }
        switch p[span.start] {
        case 0x7B:
            _ = try? JSONScan.forEachMember(p, span.start, span.end) { ks, ke, esc, vs, ve in
                let value = ByteSpan(start: vs, end: ve)
                if keyMatches(p, ks, ke, esc, key) {
                    if p[vs] == JSONScan.quote, let s = SpanValue.string(p, value) {
                        out.append(s)
                    } else if p[vs] == 0x5B {
                        _ = try? JSONScan.forEachElement(p, vs, ve) { es, ee in
                            if p[es] == JSONScan.quote, let s = SpanValue.string(p, ByteSpan(start: es, end: ee)) { out.append(s) }
                            return true
                        }
                    }
                }
                if p[vs] == 0x7B || p[vs] == 0x5B { collect(p, value, key, &out, depth: depth + 1) }
                return true
            }
        case 0x5B:
            _ = try? JSONScan.forEachElement(p, span.start, span.end) { es, ee in
                if p[es] == 0x7B || p[es] == 0x5B { collect(p, ByteSpan(start: es, end: ee), key, &out, depth: depth + 1) }
                return true
            }
        default:
            break
        }
    }

    @inline(__always)
    private static func keyMatches(_ p: UnsafePointer<UInt8>, _ ks: Int, _ ke: Int, _ escaped: Bool, _ key: String) -> Bool {
        if !escaped { return JSONScan.equals(p, ks, ke, key) }
        return JSONUnescape.string(from: UnsafeRawBufferPointer(start: p + ks, count: ke - ks)) == key
    }

    @inline(__always)
    private func withPointer<T>(_ body: (UnsafePointer<UInt8>, Int) -> T?) -> T? {
        bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress, b.count > 0 else { return nil }
            return body(base, b.count)
        }
    }

    @inline(__always)
    private func withPointer<T>(_ body: (UnsafePointer<UInt8>, Int) -> [T]) -> [T] {
        bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress, b.count > 0 else { return [] }
            return body(base, b.count)
        }
    }
}
