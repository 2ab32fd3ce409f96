/// One-call access to a file's decompressed bytes.
///
/// ```swift
/// let stats = try DecompressedStream.forEachChunk(of: file) { chunk in parser.feed(chunk) }
/// ```
/// Each call sets up fresh buffers; a worker that reads many files should keep an `InputReader`.
public enum DecompressedStream {
    /// Delivers the decompressed bytes of `file` to `body`, chunk by chunk (chunks are only valid
    /// during the call; their sizes are arbitrary). Throws `InputError` after delivering every byte
    /// that precedes a fault.
    @discardableResult
    public static func forEachChunk(of file: LogFile, decompressor: Decompressor = .auto,
                                    _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> ReadStats {
        try InputReader(decompressor: decompressor).forEachChunk(of: file, body)
    }

    /// Same for a path (`-` is standard input).
    @discardableResult
    public static func forEachChunk(path: String, decompressor: Decompressor = .auto,
                                    _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> ReadStats {
        try InputReader(decompressor: decompressor).forEachChunk(path: path, body)
    }

    /// All decompressed bytes of `path` in one array (convenience for small files and tests).
    public static func readAll(path: String, decompressor: Decompressor = .auto) throws -> [UInt8] {
        var bytes: [UInt8] = []
        try forEachChunk(path: path, decompressor: decompressor) { bytes.append(contentsOf: $0) }
        return bytes
    }
}
