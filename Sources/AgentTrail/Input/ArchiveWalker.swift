/// The outcome of walking input paths.
public struct WalkResult: Sendable, Hashable {
    /// Files to read, in walk order (arguments in the order given, directory entries sorted by name).
    public var files: [LogFile] = []
    /// Files listed by the walk, whether still in `files` or handed out in batches.
    public var filesListed = 0

    /// `files`, moved out (left empty): a run hands them to its `FileQueue`, which keeps them sorted, and the walk's
    /// array (~130 bytes a file, with room to grow) is not held beside that copy through the pass.
    public mutating func takeFiles() -> [LogFile] {
        defer { files = [] }
        return files
    }
    /// CloudTrail-Digest files seen and skipped.
    public var skippedDigest = 0
    /// CloudTrail-Insight files seen and skipped.
    public var skippedInsight = 0
    /// Files seen but excluded by the `PathFilter` (account, region or delivery time).
    public var skippedOutOfRange = 0
    /// Directories excluded whole by the `PathFilter` (their files are not counted above).
    public var prunedDirectories = 0
    /// Paths that could not be visited; the walk went on.
    public var failures: [InputError] = []
    /// Symbolic links found in a folder given as input that lead outside it: not followed (sorted by path).
    public var skippedOutsideRoot: [String] = []

    public init() {}

    /// Total on-disk size of `files`.
    public var totalBytes: Int64 { files.reduce(0) { $0 + $1.size } }
}

/// Expands files and folders into the list of log files to read, without opening any file.
///
/// Folders are walked recursively in sorted order, following symbolic links while remembering
/// visited directories by (device, inode) so loops end; a file reached twice is listed once. A link that resolves
/// outside the folder given as input (the root) is not followed but listed in `skippedOutsideRoot`.
/// A path given explicitly that is neither a directory nor a regular file (a FIFO, socket or device) is never
/// opened: it is reported as a failure.
/// Inside folders only names ending in `.json`, `.json.gz`, `.gz`, `.jsonl`, `.jsonl.gz`, `.ndjson`,
/// `.ndjson.gz` are considered and hidden names (`.DS_Store`, `.git`) are skipped; a file named
/// explicitly is always considered. `-` means standard input.
public struct ArchiveWalker: Sendable {
    public var filter: PathFilter
    public var fileSystem: any WalkerFileSystem

    public init(filter: PathFilter = .all, fileSystem: any WalkerFileSystem = PosixFileSystem()) {
        self.filter = filter
        self.fileSystem = fileSystem
    }

    /// Names considered log files inside folders.
    public static let logExtensions = [".json", ".gz", ".jsonl", ".ndjson"]

    /// True when a name found in a folder may be a log file.
    public static func isCandidateName(_ name: String) -> Bool {
        !name.hasPrefix(".") && logExtensions.contains { name.hasSuffix($0) }
    }

    /// Walks `paths` and returns the files to read and what was skipped.
    public func walk(_ paths: [String]) -> WalkResult {
        var state = WalkState(walker: self)
        state.walk(paths)
        return state.result
    }

    /// Walks `paths` as `walk(_:)` does, handing the files found to `batch` in walk order, `batchSize` at a time
    /// (`last` true on the final call, which may be empty), instead of listing them all; returns the counts and
    /// failures with `files` empty. `batch` runs on the calling thread, while the walk waits.
    public func walk(_ paths: [String], batchSize: Int, _ batch: (_ files: [LogFile], _ last: Bool) -> Void) -> WalkResult {
        withoutActuallyEscaping(batch) { batch in
            var state = WalkState(walker: self)
            state.sink = batch
            state.batchSize = max(1, batchSize)
            state.walk(paths)
            batch(state.result.files, true)
            state.result.files = []
            return state.result
        }
    }
}

/// Mutable bookkeeping for one walk.
private struct WalkState {
    let walker: ArchiveWalker
    var result = WalkResult()
    var visitedDirectories: Set<FileID> = []
    var seenFiles: Set<FileID> = []
    /// The resolved folder given as input being walked (nil: links are not checked).
    var root: String?
    /// Where full batches of `result.files` go (`ArchiveWalker.walk(_:batchSize:_:)`); nil: all are kept.
    var sink: (([LogFile], Bool) -> Void)?
    var batchSize = Int.max

    struct FileID: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    mutating func walk(_ paths: [String]) {
        for path in paths {
            if path == "-" {
                add(.standardInput)
                continue
            }
            let status: FileStatus
            do { status = try walker.fileSystem.status(of: path) } catch {
                fail(error, path: path)
                continue
            }
            switch status.kind {
            case .directory:
                root = walker.fileSystem.resolvedPath(of: path)
                walkDirectory(path, status: status)
                root = nil
            case .regular: consider(path, status: status)
            case .other:  // never opened: a FIFO would block the run
                result.failures.append(InputError(.unsupported, InputError.notRegularMessage, path: path))
            }
        }
        result.skippedOutsideRoot.sort()
    }

    /// Lists `file`, handing a full batch to the sink.
    mutating func add(_ file: LogFile) {
        result.files.append(file)
        result.filesListed += 1
        if result.files.count >= batchSize, let sink {
            sink(result.files, false)
            result.files.removeAll(keepingCapacity: true)
        }
    }

    init(walker: ArchiveWalker) { self.walker = walker }

    mutating func fail(_ error: any Error, path: String) {
        let inputError = error as? InputError ?? InputError(.unreadable, "\(error)", path: path)
        result.failures.append(inputError)
    }

    /// Classifies a named file by its path; returns true when it is to be read.
    mutating func admitsByName(_ file: LogFile) -> Bool {
        switch file.kind {
        case .digest: result.skippedDigest += 1; return false
        case .insight: result.skippedInsight += 1; return false
        case .records: break
        }
        if !walker.filter.admits(file) {
            result.skippedOutOfRange += 1
            return false
        }
        return true
    }

    /// A file given explicitly (any name) or found with a known status.
    mutating func consider(_ path: String, status: FileStatus) {
        var file = LogFile(path: path, size: status.size)
        guard admitsByName(file) else { return }
        addFile(&file, status: status)
    }

    mutating func addFile(_ file: inout LogFile, status: FileStatus) {
        file.size = status.size
        file.modifiedNanoseconds = status.modifiedNanoseconds
        guard seenFiles.insert(FileID(device: status.device, inode: status.inode)).inserted else { return }
        add(file)
    }

    mutating func walkDirectory(_ path: String, status: FileStatus) {
        guard visitedDirectories.insert(FileID(device: status.device, inode: status.inode)).inserted else { return }
        let components = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true).map { Substring($0) }
        let layout = ArchiveLayout(components: components)
        guard walker.filter.admits(directory: layout) else {
            result.prunedDirectories += 1
            return
        }
        let entries: [DirectoryEntry]
        do { entries = try walker.fileSystem.entries(of: path) } catch {
            fail(error, path: path)
            return
        }
        let sorted = entries.sorted { $0.name < $1.name }
        let prefix = path.hasSuffix("/") ? path : path + "/"
        // ("/" alone has no components; a file path there is parsed whole, as `LogFile(path:)` would.)
        let folder: ArchiveLayout? = components.isEmpty ? nil : layout
        // (Entries are `stat`ed from the open directory: `WalkerFileSystem.status(ofEntry:path:in:)`.)
        let directory = sorted.isEmpty ? nil : walker.fileSystem.openDirectory(path)
        for entry in sorted where !entry.name.hasPrefix(".") {
            visit(prefix + entry.name, entry: entry, folder: folder, in: directory)
        }
    }

    /// One directory entry: prune by name first, stat only what survives.
    mutating func visit(_ path: String, entry: DirectoryEntry, folder: ArchiveLayout? = nil, in directory: OpenDirectory? = nil) {
        if entry.kind == .directory {
            statThen(path, entry.name, directory) { state, status in
                if status.kind == .directory { state.walkDirectory(path, status: status) }
            }
            return
        }
        let mayBeLink = entry.kind == .symbolicLink || entry.kind == .unknown
        if ArchiveWalker.isCandidateName(entry.name) {
            var file = folder.map { LogFile(path: path, folder: $0, fileName: Substring(entry.name)) } ?? LogFile(path: path)
            guard admitsByName(file) else { return }
            if mayBeLink && leavesRoot(path) { return }
            statThen(path, entry.name, directory) { state, status in
                switch status.kind {
                case .regular:
                    file.foundIn = FoundIn(directory)
                    state.addFile(&file, status: status)
                case .directory: state.walkDirectory(path, status: status)
                case .other: break
                }
            }
            return
        }
        // Not a log name: only a symbolic link or unknown entry might be a directory. A dangling
        // link here is not a log file, so its failure is not worth reporting.
        guard mayBeLink, let status = try? walker.fileSystem.status(of: path), status.kind == .directory,
              !leavesRoot(path)
        else { return }
        walkDirectory(path, status: status)
    }

    /// True (and listed) when `path` resolves outside the root being walked.
    private mutating func leavesRoot(_ path: String) -> Bool {
        guard let root, root != "/", let resolved = walker.fileSystem.resolvedPath(of: path) else { return false }
        if resolved == root || resolved.hasPrefix(root + "/") { return false }
        result.skippedOutsideRoot.append(path)
        return true
    }

    private mutating func statThen(_ path: String, _ name: String, _ directory: OpenDirectory?,
                                   _ action: (inout WalkState, FileStatus) -> Void) {
        do {
            let status = try directory.map { try walker.fileSystem.status(ofEntry: name, path: path, in: $0) }
                ?? walker.fileSystem.status(of: path)
            action(&self, status)
        } catch {
            fail(error, path: path)
        }
    }
}
