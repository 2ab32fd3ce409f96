#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads input files and hands their decompressed bytes to a closure, chunk by chunk, without copies.
///
/// One `InputReader` belongs to one worker (thread or task): it owns reusable buffers and, when
/// libdeflate is in use, its own `libdeflate_decompressor`, so it is deliberately not `Sendable`.
/// Create one per worker and reuse it across files to avoid allocations.
///
/// Paths taken per file:
/// - gzip regular file with libdeflate available, compressed size and ISIZE within `wholeFileCap`:
///   the file is read whole and decompressed member by member with libdeflate (each member is one chunk),
///   into buffers lent by `budget` (shared by the workers of a run, so their whole-file memory is bounded).
/// - everything else (standard input, pipes, plain files, large files, and any member libdeflate rejects):
///   zlib streaming, 128 KiB in, 256 KiB out; plain (non-gzip) input is passed through unchanged.
///
/// A regular file is read up to the size it had when it was opened (bytes appended meanwhile are not read); a path
/// that is neither a regular file nor a directory (a FIFO, socket or device) is refused without blocking, except `-`.
///
/// A truncated or corrupt file delivers every byte inflated before the fault, then throws an
/// `InputError` naming the file and the compressed byte offset. Errors thrown by `body` propagate unchanged.
public final class InputReader {
    /// zlib streaming input chunk size.
    public static let streamInputSize = 128 * 1024
    /// zlib streaming output chunk size.
    public static let streamOutputSize = 256 * 1024
    /// Default cap for the libdeflate whole-file path (compressed size and ISIZE).
    public static let defaultWholeFileCap = 64 * 1024 * 1024

    /// The requested decompressor.
    public let decompressor: Decompressor
    /// Files whose compressed size or gzip ISIZE exceeds this are streamed with zlib.
    public let wholeFileCap: Int
    /// When set, reading a file that decompresses to more bytes than this throws `.tooLarge`.
    public var maxDecompressedBytes: Int64?
    /// Lends the buffers for whole-file reads (compressed size + ISIZE per file); idle buffers stay in it for
    /// the next file. Give every worker of a run the same budget to bound their memory together.
    public let budget: WholeFileBudget

    let streamIn = RawBuffer(capacity: InputReader.streamInputSize)
    let streamOut = RawBuffer(capacity: InputReader.streamOutputSize)
    /// This worker's libdeflate decompressor (nil when zlib is forced or libdeflate is missing).
    let libdeflate: LibDeflateDecompressor?
    /// The last file a non-waiting read put off, and what it asked for (checked before opening it again).
    var putOff: (path: String, input: Int, output: Int)?

    /// A reader; without `budget` it gets a private one of `WholeFileBudget.defaultBytes`.
    public init(decompressor: Decompressor = .auto, wholeFileCap: Int = InputReader.defaultWholeFileCap,
                maxDecompressedBytes: Int64? = nil, budget: WholeFileBudget? = nil) {
        self.decompressor = decompressor
        self.wholeFileCap = max(wholeFileCap, 0)
        self.maxDecompressedBytes = maxDecompressedBytes
        self.budget = budget ?? WholeFileBudget()
        self.libdeflate = decompressor.usesLibdeflate ? LibDeflateDecompressor() : nil
    }

    /// True when this reader will use libdeflate for eligible files.
    public var usesLibdeflate: Bool { libdeflate != nil }

    /// Reads `file` (standard input when `file.isStandardInput`).
    @discardableResult
    public func forEachChunk(of file: LogFile, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> ReadStats {
        try read(path: file.isStandardInput ? "-" : file.path, waitForBudget: true,
                 walkedAsRegular: file.walkedAsRegularFile, in: file.foundIn.directory, body)!
    }

    /// Reads `file` like `forEachChunk(of:_:)`, except that with `waitForBudget` false, a file to be read whole
    /// whose buffers `budget` cannot lend right now is put off: nil is returned at once, nothing is delivered.
    @discardableResult
    public func forEachChunk(of file: LogFile, waitForBudget: Bool,
                             _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> ReadStats? {
        try read(path: file.isStandardInput ? "-" : file.path, waitForBudget: waitForBudget,
                 walkedAsRegular: file.walkedAsRegularFile, in: file.foundIn.directory, body)
    }

    /// Reads the file at `path` (`-` is standard input).
    @discardableResult
    public func forEachChunk(path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> ReadStats {
        try read(path: path, waitForBudget: true, walkedAsRegular: false, body)!
    }

    /// `walkedAsRegular`: the walk's `stat` found a regular file at `path` (`LogFile.walkedAsRegularFile`), so it is
    /// not asked again before the open (see `Posix.openForReading`).
    /// `directory`: the one the walk found it in, held open (it is then opened by its name from there).
    private func read(path: String, waitForBudget: Bool, walkedAsRegular: Bool, in directory: OpenDirectory? = nil,
                      _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> ReadStats? {
        if !waitForBudget, let p = putOff, p.path == path, !budget.couldAcquire(input: p.input, output: p.output) {
            return nil  // still no room: not even opened again
        }
        let fd = try Posix.openForReading(path, knownRegular: walkedAsRegular, in: walkedAsRegular ? directory : nil)
        defer { Posix.closeInput(fd) }
        let st = try Posix.status(fd, path: path)
        if Posix.isDirectory(st) { throw InputError(.unsupported, "is a directory", path: path) }
        let regular = Posix.isRegular(st)
        if !regular && path != "-" {
            throw InputError(.unsupported, InputError.notRegularMessage, path: path)
        }
        var stats = ReadStats()
        if regular, let libdeflate, st.st_size > 0, st.st_size <= Int64(wholeFileCap) {
            guard try readWholeFile(fd: fd, size: Int(st.st_size), path: path, libdeflate: libdeflate,
                                    wait: waitForBudget, stats: &stats, body) else { return nil }
        } else {
            // A regular file is read up to the size it had at open: one that grows while read still ends.
            var source = DescriptorSource(fd: fd, buffer: streamIn.reserve(InputReader.streamInputSize), path: path,
                                          limit: regular ? Int64(st.st_size) : nil)
            try stream(&source, path: path, stats: &stats, body)
        }
        return stats
    }

    /// Streams an already open descriptor from its current position (never closes it). Always zlib or plain.
    @discardableResult
    public func forEachChunk(fileDescriptor fd: Int32, path: String,
                             _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> ReadStats {
        var stats = ReadStats()
        var source = DescriptorSource(fd: fd, buffer: streamIn.reserve(InputReader.streamInputSize), path: path)
        try stream(&source, path: path, stats: &stats, body)
        return stats
    }

    // MARK: - Shared helpers

    /// Counts and delivers one decompressed chunk, enforcing `maxDecompressedBytes`.
    @inline(__always)
    func deliver(_ chunk: UnsafeRawBufferPointer, path: String, offset: Int64, stats: inout ReadStats,
                 _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard !chunk.isEmpty else { return }
        stats.decompressedBytes += Int64(chunk.count)
        if let limit = maxDecompressedBytes, stats.decompressedBytes > limit {
            throw InputError(.tooLarge, "decompresses to more than \(limit) bytes", path: path, offset: offset)
        }
        try body(chunk)
    }

    /// Streams `source`: zlib when it starts with the gzip magic, unchanged bytes otherwise.
    func stream<S: ChunkSource>(_ source: inout S, path: String, stats: inout ReadStats,
                                _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let start = source.offset
        defer { stats.compressedBytes += source.offset - start }
        guard let first = try source.next() else { return }  // empty input: no bytes, no error
        if first[0] == 0x1F && (first.count == 1 || first[1] == 0x8B) {
            if first.count == 1 {
                throw InputError(.truncated, "gzip header cut short", path: path, offset: source.offset)
            }
            stats.method = .zlib
            try inflateStream(&source, first: first, path: path, stats: &stats, body)
            return
        }
        stats.method = .plain
        try deliver(first, path: path, offset: source.offset, stats: &stats, body)
        while let chunk = try source.next() {
            try deliver(chunk, path: path, offset: source.offset, stats: &stats, body)
        }
    }
}
