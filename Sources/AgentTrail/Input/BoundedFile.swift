#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Reads a small whole file (config, policy) safely: only a regular file (a FIFO, socket or device is refused
/// without blocking: it is opened non-blocking and checked with `fstat` before any read), at most `limit` bytes, and
/// never more than the size found at open (a file growing while it is read ends there).
public enum BoundedFile {
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        case notFound
        case notRegular
        case tooLarge(size: Int64, limit: Int)
        case unreadable(String)

        public var description: String {
            switch self {
            case .notFound: "no such file or directory"
            case .notRegular: "not a regular file (a FIFO, socket or device): not read"
            case .tooLarge(let size, let limit): "is \(size) bytes, more than the limit of \(limit) bytes"
            case .unreadable(let why): "cannot read: \(why)"
            }
        }
    }

    /// The bytes of the regular file at `path`, when it holds at most `limit` bytes.
    public static func read(_ path: String, limit: Int) throws(Failure) -> Data {
        try withRegularFile(path, limit: limit) { fd, size throws(Failure) in
            var data = Data(count: size)
            var failure: Failure?
            let got = data.withUnsafeMutableBytes { buf -> Int in
                do throws(Failure) { return try readFully(fd, buf, path: path) } catch { failure = error; return 0 }
            }
            if let failure { throw failure }
            if got < data.count { data.removeSubrange(got...) }  // shrank while read
            return data
        }
    }

    /// `read(_:limit:)` into an array: for a large file parsed as bytes (the IAM catalogue, ~3 MB), without a `Data`
    /// first and a copy of it after.
    static func readBytes(_ path: String, limit: Int) throws(Failure) -> [UInt8] {
        try withRegularFile(path, limit: limit) { fd, size throws(Failure) in
            var failure: Failure?
            let bytes = [UInt8](unsafeUninitializedCapacity: size) { buf, count in
                do throws(Failure) {
                    count = try readFully(fd, UnsafeMutableRawBufferPointer(buf), path: path)
                } catch {
                    failure = error
                    count = 0
                }
            }
            if let failure { throw failure }
            return bytes  // (shorter than `size` when the file shrank while read)
        }
    }

    /// Opens `path` when it is a regular file of at most `limit` bytes and gives `body` its descriptor and size.
    private static func withRegularFile<T>(_ path: String, limit: Int,
                                           _ body: (Int32, Int) throws(Failure) -> T) throws(Failure) -> T {
        // Checked before opening too, so a FIFO named by mistake is never opened at all (a writer waiting on it would
        // otherwise see a reader come and go); `fstat` after opening still guards against a swap in between.
        var before = stat()
        if stat(path, &before) == 0, !Posix.isRegular(before) { throw .notRegular }
        var fd: Int32
        repeat { fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK) } while fd < 0 && errno == EINTR
        guard fd >= 0 else {
            let e = errno
            throw e == ENOENT || e == ENOTDIR ? .notFound : .unreadable(Posix.errorText(e))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .unreadable(Posix.errorText(errno)) }
        guard Posix.isRegular(st) else { throw .notRegular }
        let size = Int64(st.st_size)
        guard size <= Int64(limit) else { throw .tooLarge(size: size, limit: limit) }
        return try body(fd, Int(size))
    }

    /// Reads up to `buffer.count` bytes from offset 0; the count read.
    private static func readFully(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, path: String) throws(Failure) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        do {
            return try Posix.readFully(fd, base, buffer.count, at: 0, path: path)
        } catch let e as InputError {
            throw .unreadable(e.message)
        } catch {
            throw .unreadable("\(error)")
        }
    }
}
