/// What reading one file cost and which code path served it.
public struct ReadStats: Sendable, Hashable {
    /// The code path that delivered the file's bytes.
    public enum Method: String, Sendable, Hashable {
        /// Not gzip: the bytes were passed through unchanged (also used for empty files).
        case plain
        /// zlib streaming inflate.
        case zlib
        /// libdeflate whole-buffer decompression.
        case libdeflate
    }

    /// The path that finished the file. A file that libdeflate started and zlib finished is `.zlib`
    /// with `fellBackToZlib` set.
    public var method: Method
    /// Bytes read from the file (compressed size for gzip).
    public var compressedBytes: Int64
    /// Bytes delivered to the caller.
    public var decompressedBytes: Int64
    /// Complete gzip members decoded (0 for plain files).
    public var members: Int
    /// True when libdeflate was tried and rejected the data or hit the size cap, so zlib took over.
    public var fellBackToZlib: Bool

    public init(method: Method = .plain, compressedBytes: Int64 = 0, decompressedBytes: Int64 = 0,
                members: Int = 0, fellBackToZlib: Bool = false) {
        self.method = method
        self.compressedBytes = compressedBytes
        self.decompressedBytes = decompressedBytes
        self.members = members
        self.fellBackToZlib = fellBackToZlib
    }
}
