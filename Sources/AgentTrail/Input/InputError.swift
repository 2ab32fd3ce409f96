/// A failure to read or decompress one input file, or to visit one path of an archive.
///
/// `description` reads like `path: reason at byte N`, where N is the offset in the
/// *compressed* file at which the problem was detected (when known).
public struct InputError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The compressed data ends before the end of a gzip member.
        case truncated
        /// The compressed data is invalid (bad header, bad deflate block, CRC or size mismatch, trailing garbage).
        case corrupt
        /// The path exists but could not be opened, read or listed.
        case unreadable
        /// The path does not exist (or is a dangling symbolic link).
        case notFound
        /// The data is larger than the configured limit.
        case tooLarge
        /// The path is neither a regular file, a directory nor standard input (a socket, a device, ...).
        case unsupported
        /// The decompressor could not be set up (out of memory, library failure).
        case decompressor
    }

    public var code: Code
    /// Human-readable reason, without the path.
    public var message: String
    /// The file or directory concerned (`-` for standard input).
    public var path: String
    /// Byte offset in the compressed input where the fault was detected, when known.
    public var offset: Int64?

    public init(_ code: Code, _ message: String, path: String, offset: Int64? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.offset = offset
    }

    /// Why a FIFO, socket or device named as an input is not read.
    public static let notRegularMessage = "not a regular file (a FIFO, socket or device): not read; use - to read a pipe"

    public var description: String {
        var text = "\(path): \(message)"
        if let offset { text += " at byte \(offset)" }
        return text
    }
}
