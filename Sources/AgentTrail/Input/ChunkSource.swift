#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A producer of consecutive slices of one input, used by the streaming paths.
protocol ChunkSource {
    /// The next slice, or nil at end of input. Slices stay valid until the next call.
    mutating func next() throws -> UnsafeRawBufferPointer?
    /// Bytes handed out so far (the compressed offset just past the last slice).
    var offset: Int64 { get }
}

/// Reads a file descriptor with POSIX `read` into a caller-owned buffer.
struct DescriptorSource: ChunkSource {
    let fd: Int32
    let buffer: UnsafeMutableRawBufferPointer
    let path: String
    private(set) var offset: Int64
    /// When set, the input ends at this offset (a regular file's size at open), whatever is appended meanwhile.
    let limit: Int64?

    init(fd: Int32, buffer: UnsafeMutableRawBufferPointer, path: String, startOffset: Int64 = 0, limit: Int64? = nil) {
        self.fd = fd
        self.buffer = buffer
        self.path = path
        self.offset = startOffset
        self.limit = limit
    }

    mutating func next() throws -> UnsafeRawBufferPointer? {
        var filled = 0
        let room = limit.map { Int(min(Int64(buffer.count), max(0, $0 - offset))) } ?? buffer.count
        // At the very start, insist on 2 bytes (pipes may deliver 1) so magic detection is exact.
        let wanted = min(offset == 0 ? 2 : 1, room)
        while filled < wanted {
            let n = try Posix.read(fd, buffer.baseAddress! + filled, room - filled, path: path, offset: offset)
            if n == 0 { break }
            filled += n
        }
        guard filled > 0 else { return nil }
        offset += Int64(filled)
        return UnsafeRawBufferPointer(start: buffer.baseAddress, count: filled)
    }
}

/// Hands out bytes already in memory (the whole-file path falling back to zlib), without copying.
struct MemorySource: ChunkSource {
    private var remaining: UnsafeRawBufferPointer
    private(set) var offset: Int64

    /// `bytes` starts at absolute input offset `startOffset`.
    init(_ bytes: UnsafeRawBufferPointer, startOffset: Int64) {
        self.remaining = bytes
        self.offset = startOffset
    }

    mutating func next() throws -> UnsafeRawBufferPointer? {
        guard !remaining.isEmpty else { return nil }
        // zlib's avail_in is 32-bit; hand out at most 1 GiB at a time.
        let n = min(remaining.count, 1 << 30)
        let slice = UnsafeRawBufferPointer(rebasing: remaining[..<n])
        remaining = UnsafeRawBufferPointer(rebasing: remaining[n...])
        offset += Int64(n)
        return slice
    }
}
