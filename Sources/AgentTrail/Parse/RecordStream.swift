/// Splits and decodes one input (one log file) fed as chunks, calling back once per decoded record.
///
/// ```swift
/// var s = RecordStream(RecordStream.Options(file: path))
/// try s.feed(chunk) { record, index in ... }
/// try s.finish { record, index in ... }
/// s.issues; s.counts
/// ```
public struct RecordStream {
    /// How records are decoded and reported.
    public struct Options: Sendable {
        public var keepRaw: Bool
        public var prefilter: (@Sendable (PeekedFields) -> Bool)?
        /// Checked on each record's bytes before any decoding; returning false skips the record (counted as
        /// `filtered`, and not checked for syntax). For byte-level push-down such as substring searches.
        public var rawPrefilter: (@Sendable (UnsafeRawBufferPointer) -> Bool)?
        /// Copied into every `ParseIssue.file`.
        public var file: String?
        /// Issues beyond this many are counted but not stored.
        public var maxStoredIssues: Int
        /// The optional fields to decode (`RecordDecoder.fields`).
        public var fields: RecordFieldSet = .all
        /// Decode the records of a CloudTrail `Records` list straight from the input, without the splitter scanning
        /// them first (`RecordSplitter.feed(_:direct:_:)`); the same records and issues either way. With a
        /// `rawPrefilter`, a record's end is found by a bracket scan and only records that pass are parsed.
        public var directDecoding = true
        /// The largest record kept, in bytes (`RecordSplitter.maxRecordBytes`): larger ones are reported and skipped
        /// without being buffered.
        public var maxRecordBytes = RecordSplitter.defaultMaxRecordBytes
        /// The deepest bracket nesting inside a record (`RecordSplitter.maxDepth`).
        public var maxDepth = RecordSplitter.defaultMaxDepth
        /// See `RecordDecoder.scansIdentityFirst`.
        var scansIdentityFirst = false
        /// Records are judged by `feedJudged`'s verdict function (see `RecordDecoder.judged`).
        var judged = false
        /// See `RecordDecoder.decodeMemo` (one per worker; never shared between threads).
        var decodeMemo: DecodeMemo?

        public init(keepRaw: Bool = false, prefilter: (@Sendable (PeekedFields) -> Bool)? = nil,
                    file: String? = nil, maxStoredIssues: Int = 1000,
                    rawPrefilter: (@Sendable (UnsafeRawBufferPointer) -> Bool)? = nil) {
            self.keepRaw = keepRaw
            self.prefilter = prefilter
            self.rawPrefilter = rawPrefilter
            self.file = file
            self.maxStoredIssues = maxStoredIssues
        }
    }

    /// Tallies for one input. `elements == decoded + filtered + malformed`.
    public struct Counts: Hashable, Sendable {
        /// Record slots seen (every element of the record list, good or bad).
        public var elements = 0
        public var decoded = 0
        /// Skipped by the prefilter.
        public var filtered = 0
        /// Slots that were not usable records (splitter issues that lost a record, and decode errors).
        public var malformed = 0
        /// All issues, including document-level ones and ones not stored.
        public var issues = 0

        public init() {}
    }

    public let options: Options
    public private(set) var issues: [ParseIssue] = []
    public private(set) var counts = Counts()
    /// Records whose slot was handled by direct decoding (decoded, filtered or malformed), for tests.
    private(set) var directSlots = 0
    private var splitter = RecordSplitter()
    private let decoder: RecordDecoder
    /// Keeps the splitter's and decoder's shared `ContainerSpans` alive (they hold it unretained).
    private var spansOwner: ContainerSpans?
    /// `options.prefilter` as a verdict function (made once, not per record).
    private let prefilterJudge: ((PeekedFields) -> Void?)?

    public init(_ options: Options = Options()) {
        self.options = options
        var decoder = RecordDecoder(keepRaw: options.keepRaw, prefilter: options.prefilter)
        decoder.scansIdentityFirst = options.scansIdentityFirst
        decoder.judged = options.judged
        prefilterJudge = options.prefilter.map { f in { f($0) ? () : nil } }
        decoder.decodeMemo = options.decodeMemo
        decoder.fields = options.fields
        splitter.maxRecordBytes = options.maxRecordBytes
        splitter.maxDepth = options.maxDepth
        if options.scansIdentityFirst && decoder.peeks {
            // The top-level pass that can use them (`RecordDecoder.scanTopLevel`).
            let spans = ContainerSpans()
            decoder.containerSpans = spans
            splitter.spans = spans
            spansOwner = spans
        }
        self.decoder = decoder
    }

    /// Scans a chunk; `body` gets each decoded record with its index in the input.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer,
                              _ body: (CloudTrailRecord, Int) throws -> Void) rethrows {
        try feed(chunk, judge: prefilterJudge, unjudged: ()) { record, index, _ in try body(record, index) }
    }

    /// `feed` for a stream made with `Options.judged`: `judge` sees each record's peeked fields and returns what
    /// `body` gets with the decoded record, or nil to skip the record (counted as filtered). `body` may keep the
    /// record without copying it.
    mutating func feedJudged<Verdict>(_ chunk: UnsafeRawBufferPointer, judge: (PeekedFields) -> Verdict?,
                                      _ body: (consuming CloudTrailRecord, Int, Verdict) throws -> Void) rethrows {
        try withoutActuallyEscaping(judge) { judge in
            try feed(chunk, judge: judge, unjudged: nil, body)
        }
    }

    /// The one feed loop: direct decoding when the record allows it, else the splitter and `decode`.
    @inline(__always)
    private mutating func feed<Verdict>(_ chunk: UnsafeRawBufferPointer, judge: ((PeekedFields) -> Verdict?)?,
                                        unjudged: Verdict?,
                                        _ body: (consuming CloudTrailRecord, Int, Verdict) throws -> Void) rethrows {
        let decoder = self.decoder
        let rawPrefilter = options.rawPrefilter
        // (The direct pass ends containers with the decoder's own depth limit, `JSONScan.maxDepth`: a stream limited
        // to fewer levels reads its records through the splitter, which enforces its limit, or a record between the
        // two limits would be decoded where the splitter reports it too deep.)
        let directDecoding = options.directDecoding && options.maxDepth >= JSONScan.maxDepth
        var counts = self.counts
        var direct = 0
        var found: [ParseIssue] = []
        defer {
            self.counts = counts
            directSlots &+= direct
            absorb(found)
        }
        try splitter.feed(chunk, direct: { bytes, position in
            // Records decoded straight from the chunk (see `RecordDecoder.topLevelDirect`); nil: the splitter's way.
            guard directDecoding, let p = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
            var top = RecordDecoder.TopLevel()
            let length: Int
            if let rawPrefilter {
                // A raw prefilter sees the record's bytes before any parsing: find where the record ends with a
                // bracket scan (kinds checked, so it ends where the splitter would), filter, then parse what passes.
                guard let end = JSONScan.skipContainer(p, 0, bytes.count) else { return nil }
                if !rawPrefilter(UnsafeRawBufferPointer(start: p, count: end)) {
                    direct &+= 1
                    counts.filtered += 1
                    return end
                }
                guard decoder.topLevelDirect(p, end, into: &top) == end else { return nil }
                length = end
            } else {
                guard let end = decoder.topLevelDirect(p, bytes.count, into: &top) else { return nil }
                length = end
            }
            direct &+= 1
            try Self.hand(position, &counts, &found) { delivered in
                try decoder.finish(p, length, 0, &top, judge: judge, unjudged: unjudged, index: position.index) {
                    record, verdict in
                    delivered()
                    // (Moved, not copied: a copy of a record retains each of its strings.)
                    try body(consume record, position.index, verdict)
                }
            }
            return length
        }) { bytes, position in
            if let rawPrefilter, !rawPrefilter(bytes) {
                counts.filtered += 1
                return
            }
            try Self.hand(position, &counts, &found) { delivered in
                try decoder.decode(bytes, judge: judge, unjudged: unjudged, index: position.index) { record, verdict in
                    delivered()
                    try body(consume record, position.index, verdict)
                }
            }
        }
    }

    /// Decodes one record with `attempt`, which hands it on (calling `delivered` first) and returns true, or returns
    /// false when the verdict skipped it: counts it as decoded or filtered, or as malformed (`DecodeError`, reported).
    /// (The record goes on from inside the decoder: returned in an optional tuple, it was copied, 664 bytes, three
    /// times more on its way.)
    @inline(__always)
    private static func hand(_ position: RecordPosition, _ counts: inout Counts, _ found: inout [ParseIssue],
                             _ attempt: (_ delivered: () -> Void) throws -> Bool) rethrows {
        var decoded = false
        defer { if decoded { counts.decoded += 1 } }  // (also when the receiver throws, as before)
        do {
            if try !attempt({ decoded = true }) { counts.filtered += 1 }
        } catch let error as DecodeError {
            counts.malformed += 1
            found.append(ParseIssue(code: .malformedRecord, index: position.index,
                                    byteOffset: position.byteOffset + error.byteOffset, reason: error.reason,
                                    decodeCode: error.code))
        }
    }

    /// Scans a chunk given as an array of bytes.
    public mutating func feed(_ chunk: [UInt8], _ body: (CloudTrailRecord, Int) throws -> Void) rethrows {
        try chunk.withUnsafeBytes { try feed($0, body) }
    }

    /// Bytes of an unfinished record the splitter holds right now (bounded by `Options.maxRecordBytes`; for tests).
    var carriedBytes: Int { splitter.carry.capacity }

    /// Ends the input, reporting a record or document left open. (`body` is never called: every record is
    /// complete by the time its closing brace is fed; the parameter keeps call sites symmetric with `feed`.)
    public mutating func finish(_ body: (CloudTrailRecord, Int) throws -> Void) rethrows {
        finish()
    }

    /// Ends the input, reporting a record or document left open.
    public mutating func finish() {
        splitter.finish()
        absorb([])
    }

    /// Moves the splitter's issues (and `extra`) into `issues`, in index order, and updates the counts.
    private mutating func absorb(_ extra: [ParseIssue]) {
        var new = splitter.issues
        splitter.issues.removeAll(keepingCapacity: true)
        counts.malformed += new.lazy.filter(\.consumesRecord).count
        if !extra.isEmpty {
            new.append(contentsOf: extra)
            new.sort { ($0.index, $0.byteOffset) < ($1.index, $1.byteOffset) }
        }
        counts.issues += new.count
        counts.elements = splitter.elementCount
        for var issue in new where issues.count < options.maxStoredIssues {
            issue.file = options.file
            issues.append(issue)
        }
    }

    /// Counts the record slots in a complete input without decoding them (the splitter alone; used to measure
    /// scanning speed).
    public static func countRecords(in bytes: UnsafeRawBufferPointer) -> Int {
        var splitter = RecordSplitter()
        var count = 0
        splitter.feed(bytes) { _, _ in count += 1 }
        splitter.finish()
        return count
    }
}
