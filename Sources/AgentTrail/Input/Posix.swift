#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin POSIX wrappers that turn `errno` into `InputError`.
enum Posix {
    /// The current `errno` as text.
    static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// Maps an errno from open/stat/opendir to an error code.
    static func code(for errnoValue: Int32) -> InputError.Code {
        switch errnoValue {
        case ENOENT, ENOTDIR: return .notFound
        default: return .unreadable
        }
    }

    /// Opens `path` read-only (`-` is standard input, which is never closed by `close`). A FIFO, socket or device is
    /// refused without being opened; the open is non-blocking anyway, so that one swapped in meanwhile is not waited
    /// on (the caller refuses anything but a regular file or directory after `fstat`; reads of regular files never
    /// block).
    ///
    /// `knownRegular`: a `stat` just made by the caller (the archive walk's) found a regular file here, so it is not
    /// made again (two path lookups a file were a tenth of a scan's system time on small files). A file swapped for
    /// a FIFO or device since then is opened non-blocking and refused after `fstat`, as one swapped in between this
    /// function's own `stat` and its `open` always was.
    ///
    /// `directory`: the directory `path` is in, held open; the file is then opened by its last name from there
    /// (`openat`: the kernel resolves one name, not every component of the path again).
    static func openForReading(_ path: String, knownRegular: Bool = false, in directory: OpenDirectory? = nil) throws -> Int32 {
        if path == "-" { return STDIN_FILENO }
        var st = stat()
        if !knownRegular, stat(path, &st) == 0, !isRegular(st), !isDirectory(st) {  // never opened (`fstat` stays)
            throw InputError(.unsupported, InputError.notRegularMessage, path: path)
        }
        while true {
            let fd = directory.map { dir in
                path.withCString { p in openat(dir.descriptor, lastName(p), O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
            } ?? open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
            if fd >= 0 { return fd }
            let e = errno
            if e == EINTR { continue }
            throw InputError(code(for: e), "cannot open: \(errorText(e))", path: path)
        }
    }

    /// The part of the C string `p` after its last `/` (all of it when there is none).
    private static func lastName(_ p: UnsafePointer<CChar>) -> UnsafePointer<CChar> {
        var name = p, q = p
        while q.pointee != 0 {
            if q.pointee == 0x2F { name = q + 1 }
            q += 1
        }
        return name
    }

    /// Closes a descriptor returned by `openForReading` (standard input is left open).
    static func closeInput(_ fd: Int32) {
        if fd != STDIN_FILENO { _ = close(fd) }
    }

    /// `read` retrying on EINTR; returns 0 at end of file.
    static func read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int, path: String, offset: Int64) throws -> Int {
        while true {
            #if canImport(Darwin)
            let n = Darwin.read(fd, buffer, count)
            #elseif canImport(Musl)
            let n = Musl.read(fd, buffer, count)
            #else
            let n = Glibc.read(fd, buffer, count)
            #endif
            if n >= 0 { return n }
            let e = errno
            if e == EINTR { continue }
            throw InputError(.unreadable, "read failed: \(errorText(e))", path: path, offset: offset)
        }
    }

    /// `pread` retrying on EINTR and short reads; returns the bytes read (less than `count` only at end of file).
    static func readFully(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int, at position: Int64, path: String) throws -> Int {
        var done = 0
        while done < count {
            let n = pread(fd, buffer + done, count - done, off_t(position + Int64(done)))
            if n > 0 { done += n; continue }
            if n == 0 { break }
            let e = errno
            if e == EINTR { continue }
            throw InputError(.unreadable, "read failed: \(errorText(e))", path: path, offset: position + Int64(done))
        }
        return done
    }

    /// `fstat` of an open descriptor.
    static func status(_ fd: Int32, path: String) throws -> stat {
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let e = errno
            throw InputError(.unreadable, "cannot stat: \(errorText(e))", path: path)
        }
        return st
    }

    /// True for a regular file mode.
    static func isRegular(_ st: stat) -> Bool { (st.st_mode & S_IFMT) == S_IFREG }
    /// True for a directory mode.
    static func isDirectory(_ st: stat) -> Bool { (st.st_mode & S_IFMT) == S_IFDIR }
}
