/// What a scan read: files, records, sources, principals, time range, speed. Mergeable across workers.
public struct ScanSummary: Sendable, Codable {
    /// A file that could not be read completely.
    public struct FailedFile: Sendable, Hashable, Codable {
        public var path: String
        /// Compressed byte offset of the fault, when known.
        public var offset: Int64?
        public var reason: String
        public init(path: String, offset: Int64?, reason: String) {
            self.path = path
            self.offset = offset
            self.reason = reason
        }
    }

    /// A record that was skipped because it could not be decoded.
    public struct MalformedRecord: Sendable, Hashable, Codable {
        public var path: String
        public var index: Int
        /// Decompressed byte offset of the record in its file, when known.
        public var offset: Int64?
        public var reason: String
        public init(path: String, index: Int, offset: Int64?, reason: String) {
            self.path = path
            self.index = index
            self.offset = offset
            self.reason = reason
        }
    }

    /// Files read to the end without error (empty files included; failed files are in `failed`).
    public var filesRead = 0
    /// Files that held no bytes at all (0-byte files, empty gzip members): read, with a warning.
    public var filesEmpty = 0
    public var skippedDigest = 0
    public var skippedInsight = 0
    public var skippedOutOfRange = 0
    /// JSON files found in folders that are not CloudTrail logs (policies, manifests): skipped, listed here.
    public var skippedNotCloudTrail: [String] = []
    /// Symbolic links that lead outside the folder given as input: not followed (`WalkResult.skippedOutsideRoot`).
    public var skippedOutsideRoot: [String] = []
    public var failed: [FailedFile] = []
    /// Valid records (eventTime within `--since/--until` when given).
    public var recordsTotal = 0
    public var recordsMalformed = 0
    /// Records dropped because their eventTime is outside `--since/--until`.
    public var recordsOutOfRange = 0
    /// First malformed records (capped at `malformedCap`), for messages.
    public var malformed: [MalformedRecord] = []
    public static let malformedCap = 200
    public var byEventSource: [String: Int] = [:]
    public var bedrock = 0
    public var agentcore = 0
    /// Distinct principal keys (`Principal.identityKey`).
    public var principals: Set<String> = []
    public var firstEvent: Instant?
    public var lastEvent: Instant?
    /// Records whose eventTime could not be parsed.
    public var recordsWithoutTime = 0
    /// A record whose eventTime is implausible for its file (`EventTimeBounds`): analysed without its time.
    public struct TimeOutlier: Sendable, Hashable, Codable {
        public var path: String
        public var eventID: String?
        public var eventTime: Instant
        public init(path: String, eventID: String?, eventTime: Instant) {
            self.path = path
            self.eventID = eventID
            self.eventTime = eventTime
        }
    }
    /// Records whose eventTime is implausible for their file (counted; the first `malformedCap` listed).
    public var recordsTimeOutliers = 0
    public var timeOutliers: [TimeOutlier] = []

    /// Counts a time outlier (listed up to the cap).
    public mutating func addTimeOutlier(_ o: TimeOutlier) {
        recordsTimeOutliers += 1
        if timeOutliers.count < 2 * ScanSummary.malformedCap { timeOutliers.append(o) }
    }
    public var compressedBytes: Int64 = 0
    public var uncompressedBytes: Int64 = 0
    /// Records decoded in full for analysis (the rest were only counted).
    public var recordsAnalysed = 0
    public var seconds: Double = 0
    public var jobs = 1
    public var decompressor = "zlib"

    public init() {}

    /// Adds `n` records of a source of this kind to `bedrock` or `agentcore`.
    @inline(__always)
    mutating func countBedrockOrAgentCore(_ known: KnownEventSource, _ n: Int) {
        if known.isBedrock { bedrock += n } else if known == .agentCore { agentcore += n }
    }

    /// Counts one valid record from its peeked fields.
    @inline(__always)
    public mutating func count(eventSource: String, principal: String?, time: Instant?) {
        recordsTotal += 1
        byEventSource[eventSource, default: 0] += 1
        countBedrockOrAgentCore(KnownEventSource(eventSource), 1)
        if let principal { principals.insert(principal) }
        if let time {
            if firstEvent == nil || time < firstEvent! { firstEvent = time }
            if lastEvent == nil || time > lastEvent! { lastEvent = time }
        } else {
            recordsWithoutTime += 1
        }
    }

    /// Adds a malformed record (kept in the list up to the cap; always counted).
    public mutating func addMalformed(_ m: MalformedRecord) {
        recordsMalformed += 1
        malformed.append(m)
    }

    /// Folds another worker's summary in. Lists are sorted at the end by `finalize()`.
    public mutating func merge(_ o: ScanSummary) {
        filesRead += o.filesRead
        filesEmpty += o.filesEmpty
        skippedDigest += o.skippedDigest
        skippedInsight += o.skippedInsight
        skippedOutOfRange += o.skippedOutOfRange
        skippedNotCloudTrail += o.skippedNotCloudTrail
        skippedOutsideRoot += o.skippedOutsideRoot
        failed += o.failed
        recordsTotal += o.recordsTotal
        recordsMalformed += o.recordsMalformed
        recordsOutOfRange += o.recordsOutOfRange
        malformed += o.malformed
        for (k, v) in o.byEventSource { byEventSource[k, default: 0] += v }
        bedrock += o.bedrock
        agentcore += o.agentcore
        principals.formUnion(o.principals)
        if let f = o.firstEvent, firstEvent == nil || f < firstEvent! { firstEvent = f }
        if let l = o.lastEvent, lastEvent == nil || l > lastEvent! { lastEvent = l }
        recordsWithoutTime += o.recordsWithoutTime
        recordsTimeOutliers += o.recordsTimeOutliers
        timeOutliers += o.timeOutliers
        compressedBytes += o.compressedBytes
        uncompressedBytes += o.uncompressedBytes
        recordsAnalysed += o.recordsAnalysed
    }

    /// Sorts lists so that output is identical for any job count and caps the malformed list.
    public mutating func finalize() {
        skippedNotCloudTrail.sort()
        skippedOutsideRoot.sort()
        failed.sort { ($0.path, $0.offset ?? -1) < ($1.path, $1.offset ?? -1) }
        malformed.sort { ($0.path, $0.index) < ($1.path, $1.index) }
        if malformed.count > ScanSummary.malformedCap { malformed.removeLast(malformed.count - ScanSummary.malformedCap) }
        timeOutliers.sort { ($0.path, $0.eventTime, $0.eventID ?? "") < ($1.path, $1.eventTime, $1.eventID ?? "") }
        if timeOutliers.count > ScanSummary.malformedCap { timeOutliers.removeLast(timeOutliers.count - ScanSummary.malformedCap) }
    }

    /// Event sources by count (descending), ties by name.
    public var eventSourcesByCount: [(String, Int)] {
        byEventSource.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
    }
}
