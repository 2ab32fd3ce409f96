/// One input file to read: where it is, how big, and what its CloudTrail S3 key says about it.
public struct LogFile: Sendable, Hashable {
    /// What a CloudTrail file holds, from its folder or file name.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// API and service events (`CloudTrail/`), also any file that does not say otherwise.
        case records
        /// Integrity-validation digests (`CloudTrail-Digest/`): no records.
        case digest
        /// CloudTrail Insights events (`CloudTrail-Insight/`).
        case insight
    }

    /// The path as given or found (`-` for standard input).
    public var path: String
    /// Size in bytes on disk (0 for standard input or when unknown).
    public var size: Int64
    public var kind: Kind
    /// 12-digit account id from the layout or the file name.
    public var account: String?
    /// Region from the layout or the file name.
    public var region: String?
    /// Organization id (`o-...`) for organization trails.
    public var orgId: String?
    /// Delivery time from the file-name stamp (minute precision), else the start of the
    /// `YYYY/MM/DD` folder day; nil when neither is present.
    public var deliveryTime: Instant?
    /// The file-name stamp alone (nil when the delivery time is the folder day or unknown), so that per-file work
    /// does not parse the path again (`EventTimeBounds`).
    public var nameTime: Instant?
    /// True for `-`.
    public var isStandardInput: Bool
    /// Last modification time (ns since 1970) from the walk's `stat`, with `size` (nil when not walked).
    public var modifiedNanoseconds: Int64?
    /// The directory the walk found the file in, held open (none when not walked, or past `OpenDirectory.limit`):
    /// the reader opens the file by its name from there.
    public var foundIn = FoundIn()

    /// True when the archive walk found this file: its `stat` then said it was a regular file (the walk adds no
    /// other kind), and the reader does not ask again before opening it.
    public var walkedAsRegularFile: Bool { modifiedNanoseconds != nil && !isStandardInput }

    /// Describes the file at `path`, reading layout information from the path alone (no file access).
    public init(path: String, size: Int64 = 0) {
        self.path = path
        self.size = size
        self.isStandardInput = path == "-"
        if isStandardInput {
            kind = .records
            return
        }
        let name = LogFileName(path: path)
        kind = name.kind
        account = name.account
        region = name.region
        orgId = name.orgId
        deliveryTime = name.deliveryTime
        nameTime = name.nameTime
    }

    /// A file named `fileName` in a folder whose layout is known (see `LogFileName.init(folder:fileName:)`).
    init(path: String, folder: ArchiveLayout, fileName: Substring) {
        self.path = path
        self.size = 0
        self.isStandardInput = false
        let name = LogFileName(folder: folder, fileName: fileName)
        kind = name.kind
        account = name.account
        region = name.region
        orgId = name.orgId
        deliveryTime = name.deliveryTime
        nameTime = name.nameTime
    }

    /// Standard input.
    public static let standardInput = LogFile(path: "-")

    /// The parsed name information for this file.
    public var name: LogFileName { LogFileName(path: path) }
}
