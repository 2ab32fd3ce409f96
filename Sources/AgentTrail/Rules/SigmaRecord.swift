import Foundation

import Synchronization

/// A dotted field name of a Sigma rule (`userIdentity.sessionContext.sessionIssuer.arn`) as key bytes, with a small
/// process-wide id (one per distinct name) under which a record's resolved values are cached.
struct SigmaFieldPath: Sendable, Hashable, CustomStringConvertible {
    let components: [[UInt8]]
    let description: String
    let id: Int
    /// The first component's index in `RecordFields.names` (its span is then known from the top-level pass).
    let topField: Int?

    init(_ name: String) {
        description = name
        components = name.split(separator: ".", omittingEmptySubsequences: false).map { Array($0.utf8) }
        let first = components.first.map { String(decoding: $0, as: UTF8.self) }
        topField = first.flatMap { RecordFields.names.firstIndex(of: $0) }
        id = SigmaFieldPath.ids.withLock { ids in
            if let id = ids[name] { return id }
            let id = ids.count
            ids[name] = id
            return id
        }
    }

    static func == (a: Self, b: Self) -> Bool { a.id == b.id }
    func hash(into h: inout Hasher) { h.combine(id) }

    private static let ids = Mutex<[String: Int]>([:])
}

/// One record's raw bytes as a Sigma rule reads them: field values found by dotted paths, a step over an array
/// applying to each element (AgentTrail's convention, shared with the oracle: `Docs/Rules.md`). Nothing is decoded
/// but the leaves compared. Valid only while the bytes are; one per worker, reused from record to record.
final class SigmaRecord {
    private(set) var p: UnsafePointer<UInt8> = UnsafePointer(bitPattern: 1)!
    private(set) var n = 0
    /// Top-level members of the current record (built on first use).
    private var top: [(ks: Int, ke: Int, escaped: Bool, vs: Int, ve: Int)] = []
    private var topBuilt = false
    /// Scratch space for unescaped strings.
    var scratch: [UInt8] = []
    /// Regular-expression results per (expression, raw leaf bytes): a value that repeats across records (a role
    /// ARN, a user agent) is searched once per worker. Exact: the result depends only on those bytes.
    var regexResults = SpanTable<Bool>(limit: 1 << 13)
    /// Nesting limit of path and keyword walks.
    static let maxDepth = 256

    init() {
        top.reserveCapacity(32)
        scratch.reserveCapacity(256)
    }

    /// The values found at each path for the current record (by path id): valid when `cacheGeneration[id]` is
    /// `generation`; the spans are `cachedSpans[cacheStart[id] ..< cacheStart[id] + cacheCount[id]]`.
    private var generation: UInt32 = 1
    private var cacheGeneration: [UInt32] = []
    private var cacheStart: [Int32] = []
    private var cacheCount: [Int32] = []
    private var cachedSpans: [ByteSpan] = []

    /// The decoder's top-level pass over the current record, when it has one without escaped keys.
    private var fields: UnsafePointer<RecordDecoder.TopLevel>?

    /// Detection items that read only `userIdentity`, by object, with their slot (0–63) in `IdentityMemo`'s
    /// per-entry results; and the current record's memo entry (-1: none). An item's result is a function of the
    /// `userIdentity` bytes, which equal memo entries share exactly.
    /// By `SigmaDetectionItem.number`: the item's slot, or -1.
    var identitySlots: [Int8] = []
    var identityMemo: IdentityMemo?
    private(set) var identityEntry = -1

    /// Results of items on a top-level value (`SigmaDetectionItem.topValueField`) per (item, raw value bytes): an
    /// eventName, a user agent or an address that repeats across records is compared once per worker. Exact: the
    /// result depends only on those bytes. Values longer than `maxMemoisedValue` are not kept.
    var topValueResults = SpanTable<Bool>(limit: 1 << 13)
    static let maxMemoisedValue = 256

    /// The result of `item` for the current record: kept per distinct top-level value or per identity memo entry
    /// when the item depends on nothing else, else `evaluate()`.
    @inline(__always)
    func memoised(_ item: SigmaDetectionItem, _ evaluate: () -> Bool) -> Bool {
        memoised(field: item.topValueField, number: item.number, evaluate)
    }

    /// `memoised(_:_:)` for the item with this `topValueField` and `number` (plain integers: no reference counted).
    @inline(__always)
    func memoised(field top: Int, number: Int, _ evaluate: () -> Bool) -> Bool {
        if top >= 0 {
            // (Only with the decoder's top-level pass: `values` then reads the same span.)
            guard let fields else { return evaluate() }
            let span = fields.pointee.fields.span(at: top)
            guard span.isSet, span.end &- span.start <= SigmaRecord.maxMemoisedValue else { return evaluate() }
            return topValueResults.lookup(p, span.start, span.end, tag: UInt64(number) &+ 1, evaluate).value
        }
        guard identityEntry >= 0, let memo = identityMemo, number < identitySlots.count, identitySlots[number] >= 0 else {
            return evaluate()
        }
        let slot = Int(identitySlots[number])
        if let known = memo.itemResult(identityEntry, slot) { return known }
        let value = evaluate()
        memo.setItemResult(identityEntry, slot, value)
        return value
    }

    /// Whether the record's top-level value `top` is a string whose text cannot be `min...max` bytes long, so an
    /// item of wildcard patterns with those `lengthBounds` fails on it (checked before hashing the value for the
    /// memo). Unescaped text is never longer than the raw string; it is as long only without a backslash (a string
    /// leaf's text is its raw bytes then, `withText`). False when unsure (no top-level pass, not a string).
    @inline(__always)
    func lengthRejects(field top: Int, min: Int, max: Int) -> Bool {
        guard let fields else { return false }
        let span = fields.pointee.fields.span(at: top)
        guard span.isSet, p[span.start] == JSONScan.quote else { return false }
        let length = span.end &- span.start &- 2
        if length < min { return true }
        if length <= max { return false }
        return memchr(p + span.start + 1, Int32(JSONScan.backslash), length) == nil
    }

    /// Points the view at a record's bytes (and the top-level pass the decoder made of them, if any).
    func reset(_ p: UnsafePointer<UInt8>, _ n: Int, top: UnsafePointer<RecordDecoder.TopLevel>? = nil) {
        self.p = p
        self.n = n
        fields = top.flatMap { $0.pointee.fields.hasEscapedKey ? nil : $0 }
        // (Only with the top-level pass: it found `userIdentity` as the record's last such key, as paths do.)
        identityEntry = fields.map { $0.pointee.identityID } ?? -1
        topBuilt = false
        // (Most records leave these empty: removing nothing costs a generic call each.)
        if !self.top.isEmpty { self.top.removeAll(keepingCapacity: true) }
        if !objects.isEmpty { objects.removeAll(keepingCapacity: true) }
        if !members.isEmpty { members.removeAll(keepingCapacity: true) }
        if !cachedSpans.isEmpty { cachedSpans.removeAll(keepingCapacity: true) }
        generation &+= 1
        if generation == 0 {
            generation = 1
            for i in cacheGeneration.indices { cacheGeneration[i] = 0 }
        }
    }

    private func buildTop() {
        topBuilt = true
        let start = JSONScan.skipSpace(p, 0, n)
        _ = try? JSONScan.forEachMember(p, start, n) { ks, ke, esc, vs, ve in
            top.append((ks, ke, esc, vs, ve))
            return true
        }
    }

    @inline(__always)
    private func keyEquals(_ ks: Int, _ ke: Int, _ escaped: Bool, _ key: [UInt8]) -> Bool {
        if !escaped {
            guard ke - ks == key.count else { return false }
            for k in 0..<key.count where p[ks + k] != key[k] { return false }
            return true
        }
        var out: [UInt8] = []
        JSONUnescape.append(from: UnsafeRawBufferPointer(start: p + ks, count: ke - ks), into: &out)
        return out == key
    }

    /// The value of `key` in the object at `span` (last duplicate wins), or nil.
    private func member(of span: ByteSpan, _ key: [UInt8]) -> ByteSpan? {
        // Each object is scanned once per record: its members are kept (`members`, `objects`) for the next path.
        var at = -1
        for (i, o) in objects.enumerated() where o.start == span.start { at = i; break }
        if at < 0 {
            let first = members.count
            var ok = true
            do {
                _ = try JSONScan.forEachMember(p, span.start, span.end) { ks, ke, esc, vs, ve in
                    members.append((ks, ke, esc, vs, ve))
                    return true
                }
            } catch { ok = false }
            // (A malformed object: what was read before the error is what a scan finds, as before.)
            _ = ok
            objects.append((span.start, first, members.count - first))
            at = objects.count - 1
        }
        let o = objects[at]
        var k = o.first + o.count - 1
        while k >= o.first {  // (the last of duplicate keys)
            let m = members[k]
            if keyEquals(m.ks, m.ke, m.escaped, key) { return ByteSpan(start: m.vs, end: m.ve) }
            k -= 1
        }
        return nil
    }

    /// Objects of the current record whose members have been listed: start offset, first member, member count.
    private var objects: [(start: Int, first: Int, count: Int)] = []
    private var members: [(ks: Int, ke: Int, escaped: Bool, vs: Int, ve: Int)] = []

    /// Calls `body` with each value found at `path` (arrays met on the way are stepped into; a final array is
    /// handed whole). Stops and returns true as soon as `body` does. The values are resolved once per record and path.
    func values(_ path: SigmaFieldPath, _ body: (ByteSpan) -> Bool) -> Bool {
        let id = path.id
        if id >= cacheGeneration.count {
            let more = id + 1 - cacheGeneration.count
            cacheGeneration += repeatElement(0, count: more)
            cacheStart += repeatElement(0, count: more)
            cacheCount += repeatElement(0, count: more)
        }
        if cacheGeneration[id] != generation {
            let start = cachedSpans.count
            _ = resolve(path) { v in cachedSpans.append(v); return false }
            cacheGeneration[id] = generation
            cacheStart[id] = Int32(start)
            cacheCount[id] = Int32(cachedSpans.count - start)
        }
        let start = Int(cacheStart[id])
        for k in start..<(start + Int(cacheCount[id])) where body(cachedSpans[k]) { return true }
        return false
    }

    private func resolve(_ path: SigmaFieldPath, _ body: (ByteSpan) -> Bool) -> Bool {
        guard let first = path.components.first else { return false }
        if let fields, let index = path.topField {
            // (The top-level pass kept the last of duplicate keys, as the scan below does.)
            let span = fields.pointee.fields.span(at: index)
            guard span.isSet else { return false }
            return walk(span, path.components, 1, body, depth: 0)
        }
        if !topBuilt { buildTop() }
        var hit: ByteSpan?
        for m in top.reversed() where keyEquals(m.ks, m.ke, m.escaped, first) {
            hit = ByteSpan(start: m.vs, end: m.ve)
            break
        }
        guard let v = hit else { return false }
        return walk(v, path.components, 1, body, depth: 0)
    }

    private func walk(_ v: ByteSpan, _ comps: [[UInt8]], _ i: Int, _ body: (ByteSpan) -> Bool, depth: Int) -> Bool {
        if i == comps.count { return body(v) }
        guard depth < SigmaRecord.maxDepth else { return false }
        switch p[v.start] {
        case 0x7B:
            guard let next = member(of: v, comps[i]) else { return false }
            return walk(next, comps, i + 1, body, depth: depth + 1)
        case 0x5B:
            var done = false
            _ = try? JSONScan.forEachElement(p, v.start, v.end) { es, ee in
                if walk(ByteSpan(start: es, end: ee), comps, i, body, depth: depth + 1) { done = true; return false }
                return true
            }
            return done
        default:
            return false
        }
    }

    /// Calls `body` with each leaf (a value that is not an object or array) of `v`, arrays expanded (nested
    /// arrays too). Returns true as soon as `body` does.
    func leaves(of v: ByteSpan, _ body: (ByteSpan) -> Bool, depth: Int = 0) -> Bool {
        guard p[v.start] == 0x5B else { return body(v) }
        guard depth < SigmaRecord.maxDepth else { return false }
        var done = false
        _ = try? JSONScan.forEachElement(p, v.start, v.end) { es, ee in
            if leaves(of: ByteSpan(start: es, end: ee), body, depth: depth + 1) { done = true; return false }
            return true
        }
        return done
    }

    /// Every leaf of the whole record (keyword search). Returns true as soon as `body` does.
    func allLeaves(_ body: (ByteSpan) -> Bool) -> Bool {
        let start = JSONScan.skipSpace(p, 0, n)
        guard start < n, let end = JSONScan.skipValue(p, start, n) else { return false }
        return anyLeaf(ByteSpan(start: start, end: end), body, depth: 0)
    }

    private func anyLeaf(_ v: ByteSpan, _ body: (ByteSpan) -> Bool, depth: Int) -> Bool {
        guard depth < SigmaRecord.maxDepth else { return false }
        var done = false
        switch p[v.start] {
        case 0x7B:
            _ = try? JSONScan.forEachMember(p, v.start, v.end) { _, _, _, vs, ve in
                if anyLeaf(ByteSpan(start: vs, end: ve), body, depth: depth + 1) { done = true; return false }
                return true
            }
        case 0x5B:
            _ = try? JSONScan.forEachElement(p, v.start, v.end) { es, ee in
                if anyLeaf(ByteSpan(start: es, end: ee), body, depth: depth + 1) { done = true; return false }
                return true
            }
        default:
            done = body(v)
        }
        return done
    }

    /// What kind of JSON value `v` is.
    enum Kind { case string, number, bool, null, object, array }

    @inline(__always)
    func kind(_ v: ByteSpan) -> Kind {
        switch p[v.start] {
        case JSONScan.quote: return .string
        case 0x7B: return .object
        case 0x5B: return .array
        case 0x6E: return .null
        case 0x74, 0x66: return .bool
        default: return .number
        }
    }

    /// The text of a scalar leaf (a string's unescaped content, a number's or literal's JSON text) as bytes, or
    /// nil for objects, arrays and null.
    @inline(__always)
    func withText<T>(_ v: ByteSpan, _ body: (UnsafeRawBufferPointer) -> T) -> T? {
        switch kind(v) {
        case .object, .array, .null:
            return nil
        case .string:
            let inner = UnsafeRawBufferPointer(start: p + v.start + 1, count: v.end - v.start - 2)
            if inner.isEmpty || memchr(inner.baseAddress!, Int32(JSONScan.backslash), inner.count) == nil {
                return body(inner)
            }
            scratch.removeAll(keepingCapacity: true)
            JSONUnescape.append(from: inner, into: &scratch)
            return scratch.withUnsafeBytes { body($0) }
        case .number, .bool:
            return body(UnsafeRawBufferPointer(start: p + v.start, count: v.end - v.start))
        }
    }

    /// The text of a scalar leaf as a `String` (group-by values, field references).
    func text(_ v: ByteSpan) -> String? {
        withText(v) { String(decoding: $0, as: UTF8.self) }
    }
}
