/// Where a split-out record came from.
public struct RecordPosition: Hashable, Sendable {
    /// Index of the record slot in this input, from 0 (malformed slots count too).
    public var index: Int
    /// Offset of the record's first byte in the (decompressed) input stream. For `lookup-events` input this is the
    /// offset of the `Events[]` entry; for EventBridge input, of the `detail` object.
    public var byteOffset: Int
}

/// Push-based, incremental splitter that cuts a CloudTrail log into the bytes of its records.
///
/// Feed chunks of any size; each byte is scanned once (depth, in-string and escape state survive chunk
/// boundaries), and only a record that straddles a boundary is copied into a reused carry buffer.
///
/// Input shapes, detected from the data:
/// - CloudTrail files `{"Records":[{...},...]}` (`Records` need not be the first key; other keys are ignored);
/// - JSON Lines (one record per line, blank lines allowed) and concatenated or pretty-printed record objects;
/// - a top-level JSON array of records;
/// - EventBridge envelopes `{"detail-type":..., "detail":{record}}`, alone, one per line or in an array;
/// - `aws cloudtrail lookup-events` output `{"Events":[{"CloudTrailEvent":"<record as a JSON string>"}]}`
///   (the string is unescaped and its bytes emitted).
///
/// Structural problems become `issues`; the splitter recovers at the next element (in JSON Lines, at the next
/// line: once the first record is seen to fit on one line, a line break inside a record ends it as unterminated).
/// A UTF-8 byte-order mark at the start of the input is skipped. A wrapper with the same list key twice
/// (`{"Records":[a],"Records":[b,c]}`) gives the records of both lists, in order.
public struct RecordSplitter {
    enum Mode { case stream, topArray, records, events, tail }
    enum StringKind { case plain, key, cloudTrailEvent }
    enum KeyKind { case none, records, events, detail, detailType, cloudTrailEvent }

    /// The largest record kept (bytes): a larger one is reported (`recordTooLarge`) and skipped while it is scanned,
    /// without buffering it, so memory stays bounded whatever one record holds. Default 64 MiB.
    public var maxRecordBytes = RecordSplitter.defaultMaxRecordBytes
    /// The deepest nesting of brackets inside a record (`recordTooDeep` beyond it). At least 64.
    public var maxDepth = RecordSplitter.defaultMaxDepth {
        didSet { maxDepth = max(64, maxDepth) }
    }
    public static let defaultMaxRecordBytes = 64 << 20
    public static let defaultMaxDepth = 512

    /// Problems found so far (in order). The caller may drain it between chunks.
    public var issues: [ParseIssue] = []
    /// Number of record slots seen so far (emitted records plus slots reported as issues).
    public private(set) var elementCount = 0

    // Scanner state.
    var mode: Mode = .stream
    var elementDepth = 0  // values that start at this depth are records; -1 when none can start
    var depth = 0
    var inString = false
    var escape = false
    var stringKind: StringKind = .plain
    var stringStart = 0  // absolute offset of the first content byte
    var offset = 0  // absolute offset of the current chunk's first byte
    var jsonLines: Bool? = nil
    var garbageRun = false
    var kinds: UInt64 = 0  // bit d set: the bracket opened at depth d (< 64) is `[`
    /// Bytes of a UTF-8 byte-order mark matched at the start of the input so far; -1 once past it (or none).
    var byteOrderMark: Int8 = 0

    // Current element.
    var inElement = false
    var elementIsObject = false
    var elementStart = 0  // absolute
    var elementIndex = 0
    var sawNewline = false
    var carry: [UInt8] = []
    /// The first bytes (at most 16) of a key string that a chunk boundary cut, for `stringEnded`: kept apart from
    /// `carry`, which a skipped record does not fill, so that keys are read the same whatever the chunking.
    var keyBytes: [UInt8] = []
    var carrying = false
    /// The current element is too large or too deep: it is scanned to its end but not carried or emitted.
    var skipping: ParseIssue.Code?

    // Keys at the element's top level (only tracked where they matter).
    var trackKeys = true
    var expectKey = false
    var valueKey: KeyKind = .none
    var sawDetailType = false
    var detailOpen = false
    var detailStart = -1
    var detailEnd = -1
    var cteStart = -1
    var cteEnd = -1
    var unescaped: [UInt8] = []

    /// When set, receives the spans of each record's top-level object and array values (see `ContainerSpans`).
    /// Not retained (no reference counting on the byte loop): the owner (`RecordStream`) keeps it alive.
    unowned(unsafe) var spans: ContainerSpans?

    public init() {}

    /// Total bytes fed so far.
    public var bytesConsumed: Int { offset }

    /// Scans `chunk`, calling `emit` with the bytes of every record completed in it. The bytes are valid only
    /// during the call.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer,
                              _ emit: (UnsafeRawBufferPointer, RecordPosition) throws -> Void) rethrows {
        try feed(chunk, direct: { _, _ in nil }, emit)
    }

    /// `feed`, offering each record of a CloudTrail `Records` list to `direct` before scanning it: `direct` gets the
    /// bytes from the record's `{` to the end of the chunk and the record's position, and returns the record's
    /// length when it handled the record (decoded it, or reported it, itself), or nil to let the splitter scan it
    /// and `emit` it as usual. A returned length must be where the splitter would end the record (see
    /// `RecordDecoder.topLevelDirect`); the splitter then goes on after it as after any record it emitted.
    mutating func feed(_ chunk: UnsafeRawBufferPointer,
                       direct: (UnsafeRawBufferPointer, RecordPosition) throws -> Int?,
                       _ emit: (UnsafeRawBufferPointer, RecordPosition) throws -> Void) rethrows {
        guard let raw = chunk.baseAddress, chunk.count > 0 else { return }
        let p = raw.assumingMemoryBound(to: UInt8.self)
        let n = chunk.count
        var i = 0
        if byteOrderMark >= 0 { i = skipByteOrderMark(p, n) }
        if inString && escape {
            escape = false
            i = 1
        }
        while i < n {
            if inString {
                let extra: UInt8 = (jsonLines == true && mode == .stream) ? 0x0A : JSONScan.quote
                let s = JSONScan.findStringStop(p, i, n, extra: extra)
                if s >= n { break }
                let c = p[s]
                if c == JSONScan.backslash {
                    if s &+ 1 < n { i = s &+ 2 } else { escape = true; i = n }
                    continue
                }
                inString = false
                if c == JSONScan.quote {
                    if stringKind != .plain { stringEnded(p, localEnd: s) }
                } else {
                    lineBroke(at: s)  // raw newline inside a string of a JSON Lines record
                }
                i = s &+ 1
                continue
            }
            if skipping != nil && depth &- elementDepth > 64 {
                // Deep inside a record that is being skipped: only brackets, strings and line breaks matter (the
                // kind checks and key tracking of the general path apply only near the record's top).
                var d = depth
                let floor = elementDepth &+ 64
                var special = false
                while i < n {
                    let c = p[i]
                    if c == 0x5B || c == 0x7B {
                        d &+= 1
                    } else if c == 0x5D || c == 0x7D {
                        d &-= 1
                        if d <= floor { i &+= 1; break }
                    } else if c == JSONScan.quote || c == 0x0A {
                        special = true
                        break
                    }
                    i &+= 1
                }
                depth = d
                if !special { continue }
            }
            let b = p[i]
            switch b {
            case 0x20, 0x09, 0x0D:
                break
            case 0x0A:
                garbageRun = false
                if inElement && mode == .stream {
                    if jsonLines == true { lineBroke(at: i) } else { sawNewline = true }
                }
            case JSONScan.quote:
                inString = true
                stringKind = .plain
                if depth == elementDepth {
                    if !garbageRun { notAnObject(at: i, "a string where a record object was expected") }
                    garbageRun = true
                } else if trackKeys && inElement && depth == elementDepth &+ 1 && elementIsObject {
                    if expectKey {
                        stringKind = .key
                        stringStart = offset &+ i &+ 1
                        keyBytes.removeAll(keepingCapacity: true)
                    } else if valueKey == .cloudTrailEvent {
                        stringKind = .cloudTrailEvent
                        stringStart = offset &+ i &+ 1
                    }
                } else if mode == .tail && depth == 1 && expectKey {
                    stringKind = .key  // a key of the wrapper after its record list: another list may follow
                    stringStart = offset &+ i &+ 1
                    keyBytes.removeAll(keepingCapacity: true)
                }
            case 0x7B, 0x5B:  // { [
                garbageRun = false
                if depth < 64 {
                    let bit: UInt64 = 1 << UInt64(depth)
                    if b == 0x5B { kinds |= bit } else { kinds &= ~bit }
                } else {
                    spans?.usable = false  // brackets this deep are not kind-checked
                    if inElement && skipping == nil && depth &- elementDepth >= maxDepth { startSkipping(.recordTooDeep) }
                }
                if depth == elementDepth {
                    if b == 0x5B && mode == .stream {
                        mode = .topArray
                        elementDepth = 1
                        depth = 1
                        break
                    }
                    // (Only in a `Records` list: there keys are not tracked and no envelope is unwrapped, so a
                    // record is exactly the bytes from its `{` to the matching `}`.)
                    if b == 0x7B && mode == .records,
                       let length = try direct(UnsafeRawBufferPointer(start: p + i, count: min(n &- i, maxRecordBytes)),
                                               RecordPosition(index: elementCount, byteOffset: offset &+ i)) {
                        elementCount &+= 1
                        i &+= length
                        continue
                    }
                    beginElement(at: i, isObject: b == 0x7B)
                } else if inElement && depth == elementDepth &+ 1 {
                    spans?.open(offset &+ i)
                    guard trackKeys && !expectKey else { depth &+= 1; break }
                    if b == 0x7B && valueKey == .detail {
                        detailOpen = true
                        detailStart = offset &+ i
                    } else if b == 0x5B && mode == .stream && elementDepth == 0
                                && (valueKey == .records || valueKey == .events) {
                        enterContainer(valueKey == .records ? .records : .events)
                        depth = 2
                        break
                    }
                } else if mode == .tail && depth == 1 && b == 0x5B && !expectKey
                            && (valueKey == .records || valueKey == .events) {
                    // The same wrapper's second `Records` (or `Events`) list: its records follow the first list's.
                    mode = valueKey == .records ? .records : .events
                    elementDepth = 2
                    depth = 2
                    trackKeys = (mode == .events)
                    valueKey = .none
                    break
                }
                depth &+= 1
            case 0x7D, 0x5D:  // } ]
                garbageRun = false
                if depth == elementDepth {
                    if b == 0x5D && mode == .topArray {
                        mode = .stream; elementDepth = 0; depth = 0; trackKeys = true
                    } else if b == 0x5D && (mode == .records || mode == .events) {
                        mode = .tail; elementDepth = -1; depth = 1; trackKeys = false
                        expectKey = false; valueKey = .none
                    } else {
                        issues.append(ParseIssue(code: .unbalanced, index: elementCount, byteOffset: offset &+ i,
                                                 reason: "closing bracket with nothing open"))
                    }
                    break
                }
                depth &-= 1
                if depth < 64 && ((kinds >> UInt64(depth)) & 1 == 1) != (b == 0x5D) {
                    spans?.usable = false
                    if !realign(closer: b) {
                        depth &+= 1  // a stray closer inside a record: ignore it (the decoder will reject the record)
                        break
                    }
                }
                if depth == elementDepth {
                    try endElement(p, localEnd: i &+ 1, emit)
                } else if inElement && depth == elementDepth &+ 1 {
                    spans?.close(offset &+ i &+ 1)
                    if detailOpen {
                        detailOpen = false
                        detailEnd = offset &+ i &+ 1
                    }
                } else if mode == .tail && depth == 0 {
                    mode = .stream; elementDepth = 0; trackKeys = true
                }
            case 0x2C:  // ,
                garbageRun = false
                if depth == elementDepth &+ 1 || (mode == .tail && depth == 1) { expectKey = true }
            case 0x3A:  // :
                if depth == elementDepth &+ 1 || (mode == .tail && depth == 1) { expectKey = false }
            default:
                if depth == elementDepth && !garbageRun {
                    notAnObject(at: i, "unexpected text where a record object was expected")
                    garbageRun = true
                }
            }
            i &+= 1
        }
        if inString && stringKind == .key && keyBytes.count < 16 {
            let from = max(stringStart &- offset, 0)
            keyBytes.append(contentsOf: UnsafeRawBufferPointer(start: raw + from, count: min(n &- from, 16 &- keyBytes.count)))
        }
        if inElement && skipping == nil {
            if offset &+ n &- elementStart > maxRecordBytes {
                startSkipping(.recordTooLarge)
            } else if carrying {
                carry.append(contentsOf: UnsafeRawBufferPointer(start: raw, count: n))
            } else {
                let local = elementStart &- offset
                carry.append(contentsOf: UnsafeRawBufferPointer(start: raw + local, count: n &- local))
                carrying = true
            }
        }
        offset &+= n
    }

    /// Ends the input (no record can complete at the end, so nothing is emitted; this overload exists for symmetry).
    public mutating func finish(_ emit: (UnsafeRawBufferPointer, RecordPosition) throws -> Void) rethrows {
        finish()
    }

    /// Ends the input: reports a record or document left open. The splitter can then be reused for a new input.
    public mutating func finish() {
        if byteOrderMark > 0 {  // the input ended inside what began like a byte-order mark
            issues.append(ParseIssue(code: .notAnObject, index: elementCount, byteOffset: 0,
                                     reason: "unexpected text where a record object was expected"))
            elementCount &+= 1
        }
        if inElement {
            let limit = offset &- elementStart > maxRecordBytes ? ", larger than the maximum record size, not kept"
                : skipping != nil ? ", nested too deep" : ""
            issues.append(ParseIssue(code: .unterminatedRecord, index: elementIndex, byteOffset: elementStart,
                                     reason: "input ends inside a record (\(offset &- elementStart) bytes\(limit))"))
        } else if mode != .stream || depth != 0 {
            issues.append(ParseIssue(code: .truncatedDocument, index: elementCount, byteOffset: offset,
                                     reason: "input ends before the record list closes"))
        }
        let keep = issues
        let count = elementCount
        let keepSpans = spans
        let (maxBytes, maxDepth) = (maxRecordBytes, self.maxDepth)
        self = RecordSplitter()
        issues = keep
        elementCount = count
        spans = keepSpans
        maxRecordBytes = maxBytes
        self.maxDepth = maxDepth
    }

    // MARK: - Element handling (off the byte loop's fast path)

    mutating func beginElement(at local: Int, isObject: Bool) {
        inElement = true
        elementIsObject = isObject
        elementStart = offset &+ local
        elementIndex = elementCount
        elementCount &+= 1
        sawNewline = false
        carrying = false
        skipping = nil
        carry.removeAll(keepingCapacity: true)
        spans?.reset(usable: isObject)
        expectKey = isObject
        valueKey = .none
        sawDetailType = false
        detailOpen = false
        detailStart = -1
        detailEnd = -1
        cteStart = -1
        cteEnd = -1
    }

    /// Stops keeping the current element (too large or too deep): its bytes are scanned to its end, then reported.
    mutating func startSkipping(_ code: ParseIssue.Code) {
        skipping = code
        carrying = false
        carry = []  // give the memory back now
    }

    /// A closer that does not match the innermost opener (e.g. `[1,}` inside a record): close up to the nearest
    /// opener of its kind within the current record, so the next record still starts in sync. Returns false when
    /// there is none (the closer is then ignored). Called with `depth` already decremented.
    mutating func realign(closer: UInt8) -> Bool {
        guard inElement, elementDepth >= 0 else { return false }
        let wantArray = closer == 0x5D
        var level = depth &- 1
        while level >= elementDepth {
            if level < 64 && ((kinds >> UInt64(level)) & 1 == 1) == wantArray {
                depth = level
                return true
            }
            level &-= 1
        }
        return false
    }

    /// Skips a UTF-8 byte-order mark (EF BB BF) at the very start of the input, also when chunks cut it; returns where
    /// the scan of this chunk starts. Bytes that only began like one are scanned as usual (or, when an earlier chunk
    /// held them, reported as the stray text they are).
    mutating func skipByteOrderMark(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        let before = Int(byteOrderMark)
        var matched = before
        var i = 0
        while i < n && matched < 3 {
            let want: UInt8 = matched == 0 ? 0xEF : (matched == 1 ? 0xBB : 0xBF)
            guard p[i] == want else {
                byteOrderMark = -1
                guard before > 0 else { return 0 }
                notAnObject(at: -offset, "unexpected text where a record object was expected")
                garbageRun = true
                return i
            }
            matched += 1
            i += 1
        }
        byteOrderMark = matched == 3 ? -1 : Int8(matched)
        return i
    }

    mutating func enterContainer(_ m: Mode) {
        // The enclosing top-level object is a wrapper, not a record: give back its slot.
        inElement = false
        carrying = false
        skipping = nil
        carry.removeAll(keepingCapacity: true)
        elementCount = elementIndex
        mode = m
        elementDepth = 2
        trackKeys = (m == .events)
    }

    mutating func notAnObject(at local: Int, _ reason: String) {
        issues.append(ParseIssue(code: .notAnObject, index: elementCount, byteOffset: offset &+ local, reason: reason))
        elementCount &+= 1
    }

    /// A JSON Lines record that did not close on its line: report it and resume on the next line.
    mutating func lineBroke(at local: Int) {
        garbageRun = false
        guard inElement else { return }
        issues.append(ParseIssue(code: .unterminatedRecord, index: elementIndex, byteOffset: elementStart,
                                 reason: "record does not close before the end of its line"))
        inElement = false
        carrying = false
        skipping = nil
        carry.removeAll(keepingCapacity: true)
        depth = 0
        inString = false
    }

    /// Reads a key (or `CloudTrailEvent` value) that just ended at `localEnd` (the closing quote).
    mutating func stringEnded(_ p: UnsafePointer<UInt8>, localEnd: Int) {
        let end = offset &+ localEnd
        if stringKind == .cloudTrailEvent {
            cteStart = stringStart
            cteEnd = end
            return
        }
        let len = end &- stringStart
        guard len == 6 || len == 7 || len == 11 || len == 15 else { valueKey = .none; return }
        let kind: KeyKind
        if stringStart >= offset {
            kind = classify(p + (stringStart &- offset), len)
        } else {
            // The key began in an earlier chunk (its first bytes are in `keyBytes`, also when the record is skipped).
            var key = keyBytes
            key.append(contentsOf: UnsafeBufferPointer(start: p, count: localEnd))
            kind = key.count == len ? key.withUnsafeBufferPointer { classify($0.baseAddress!, len) } : .none
        }
        valueKey = kind
        if kind == .detailType { sawDetailType = true }
    }

    func classify(_ k: UnsafePointer<UInt8>, _ len: Int) -> KeyKind {
        switch len {
        case 7 where (mode == .stream && elementDepth == 0) || mode == .tail:
            return JSONScan.equals(k, 0, 7, "Records") ? .records : .none
        case 6:
            if ((mode == .stream && elementDepth == 0) || mode == .tail) && JSONScan.equals(k, 0, 6, "Events") { return .events }
            return mode != .events && JSONScan.equals(k, 0, 6, "detail") ? .detail : .none
        case 11:
            return mode != .events && JSONScan.equals(k, 0, 11, "detail-type") ? .detailType : .none
        case 15:
            return mode == .events && JSONScan.equals(k, 0, 15, "CloudTrailEvent") ? .cloudTrailEvent : .none
        default:
            return .none
        }
    }

    mutating func endElement(_ p: UnsafePointer<UInt8>, localEnd: Int,
                             _ emit: (UnsafeRawBufferPointer, RecordPosition) throws -> Void) rethrows {
        inElement = false
        if mode == .stream && jsonLines == nil { jsonLines = !sawNewline }
        let size = offset &+ localEnd &- elementStart
        if skipping != nil || size > maxRecordBytes {
            // Too large before too deep, whichever was seen first: the size is checked at the end of each chunk and
            // the depth at each bracket, so the order depends on where chunks were cut, and the report must not.
            let code: ParseIssue.Code = size > maxRecordBytes ? .recordTooLarge : .recordTooDeep
            issues.append(ParseIssue(code: code, index: elementIndex, byteOffset: elementStart, reason: code == .recordTooDeep
                ? "record nests deeper than \(maxDepth) levels (\(size) bytes); skipped"
                : "record of \(size) bytes is larger than the maximum record size (\(maxRecordBytes) bytes); skipped"))
            skipping = nil
            carrying = false
            carry.removeAll(keepingCapacity: false)
            return
        }
        if carrying {
            carry.append(contentsOf: UnsafeBufferPointer(start: p, count: localEnd))
            carrying = false
            var buffer = carry
            carry = []
            defer {
                buffer.removeAll(keepingCapacity: true)
                carry = buffer
            }
            try buffer.withUnsafeBytes { try deliver($0, emit) }
        } else {
            let local = elementStart &- offset
            try deliver(UnsafeRawBufferPointer(start: p + local, count: localEnd &- local), emit)
        }
    }

    /// Emits an element's bytes (`bytes` starts at `elementStart`), unwrapping envelopes.
    mutating func deliver(_ bytes: UnsafeRawBufferPointer,
                          _ emit: (UnsafeRawBufferPointer, RecordPosition) throws -> Void) rethrows {
        let index = elementIndex
        guard elementIsObject else {
            issues.append(ParseIssue(code: .notAnObject, index: index, byteOffset: elementStart,
                                     reason: "an array where a record object was expected"))
            return
        }
        if mode == .events {
            guard cteStart >= 0 else {
                issues.append(ParseIssue(code: .missingCloudTrailEvent, index: index, byteOffset: elementStart,
                                         reason: "lookup-events entry without a CloudTrailEvent string"))
                return
            }
            spans?.usable = false
            var out = unescaped
            unescaped = []
            out.removeAll(keepingCapacity: true)
            JSONUnescape.append(from: UnsafeRawBufferPointer(rebasing: bytes[(cteStart &- elementStart)..<(cteEnd &- elementStart)]),
                                into: &out)
            defer { unescaped = out }
            try out.withUnsafeBytes { try emit($0, RecordPosition(index: index, byteOffset: elementStart)) }
            return
        }
        if sawDetailType && detailEnd > detailStart && detailStart >= 0 {
            spans?.usable = false
            let sub = UnsafeRawBufferPointer(rebasing: bytes[(detailStart &- elementStart)..<(detailEnd &- elementStart)])
            try emit(sub, RecordPosition(index: index, byteOffset: detailStart))
            return
        }
        spans?.base = elementStart
        try emit(bytes, RecordPosition(index: index, byteOffset: elementStart))
    }
}
