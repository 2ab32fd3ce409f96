import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What `stat` says about a path (symbolic links followed).
public struct FileStatus: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case regular, directory, other }
    public var kind: Kind
    public var size: Int64
    public var device: UInt64
    public var inode: UInt64
    /// Last modification time in nanoseconds since 1970 (nil when the file system does not say).
    public var modifiedNanoseconds: Int64?

    public init(kind: Kind, size: Int64, device: UInt64, inode: UInt64, modifiedNanoseconds: Int64? = nil) {
        self.kind = kind
        self.size = size
        self.device = device
        self.inode = inode
        self.modifiedNanoseconds = modifiedNanoseconds
    }
}

/// One name in a directory, with the type `readdir` reported (when it did).
public struct DirectoryEntry: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case regular, directory, symbolicLink, other, unknown }
    public var name: String
    public var kind: Kind

    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }
}

/// The file-system calls `ArchiveWalker` makes; injectable so tests can count or fake them.
/// The walker never opens files: it lists directories and stats the files it keeps.
public protocol WalkerFileSystem: Sendable {
    /// `stat` (following symbolic links); throws `InputError`.
    func status(of path: String) throws -> FileStatus
    /// The entries of a directory, without `.` and `..`, in any order; throws `InputError`.
    func entries(of directory: String) throws -> [DirectoryEntry]
    /// The absolute path with every symbolic link resolved (`realpath`); nil when it cannot be resolved (a dangling
    /// link) or the file system cannot say (then links are not checked against the root).
    func resolvedPath(of path: String) -> String?
    /// The directory at `path` held open, for `status(ofEntry:path:in:)`; nil when the file system has no such thing
    /// or it cannot be opened (entries are then `stat`ed by their paths).
    func openDirectory(_ path: String) -> OpenDirectory?
    /// `status(of: path)` for `path`, the entry `name` of the directory `directory` (opened by `openDirectory`): the same
    /// result and errors, with only `name` resolved from the open directory instead of every component of `path`.
    func status(ofEntry name: String, path: String, in directory: OpenDirectory) throws -> FileStatus
}

extension WalkerFileSystem {
    public func resolvedPath(of path: String) -> String? { nil }
    public func openDirectory(_ path: String) -> OpenDirectory? { nil }
    public func status(ofEntry name: String, path: String, in directory: OpenDirectory) throws -> FileStatus {
        try status(of: path)
    }
}

/// A directory held open by a file descriptor (closed when the last reference goes), for `stat`s and `open`s relative
/// to it. Walked files keep the one they were found in until they are read (`LogFile.foundIn`), so at most `limit` are
/// open at once: past it, `PosixFileSystem.openDirectory` declines and paths are used whole.
public final class OpenDirectory: Sendable {
    public let descriptor: Int32
    /// The most directories held open at once: 256, or a quarter of the process's descriptor limit when that is lower
    /// (`RLIMIT_NOFILE`: commonly 1,024, sometimes 256), so that the files, the state file and the workers always
    /// have descriptors left.
    public static let limit: Int = {
        var r = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &r) == 0, r.rlim_cur != rlim_t.max else { return 256 }
        return min(256, Int(clamping: r.rlim_cur) / 4)
    }()
    private static let open = Atomic<Int>(0)

    /// Takes `descriptor` (closed with this object); nil, with the descriptor closed, when `limit` are open.
    public init?(descriptor: Int32) {
        guard Self.open.add(1, ordering: .relaxed).newValue <= Self.limit else {
            Self.open.subtract(1, ordering: .relaxed)
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
    }

    /// How many are open now.
    public static var openCount: Int { open.load(ordering: .relaxed) }

    deinit {
        close(descriptor)
        Self.open.subtract(1, ordering: .relaxed)
    }
}

/// The open directory a walked file was found in, carried with the file so that the reader opens it by its name from
/// there (`openat`): not part of the file's identity (any two are equal, and none is shown).
public struct FoundIn: Sendable, Hashable, CustomReflectable {
    public var directory: OpenDirectory?

    public init(_ directory: OpenDirectory? = nil) { self.directory = directory }

    public static func == (a: FoundIn, b: FoundIn) -> Bool { true }
    public func hash(into hasher: inout Hasher) {}
    public var customMirror: Mirror { Mirror(self, children: []) }
}

/// The real file system through POSIX `stat`, `opendir` and `readdir`.
public struct PosixFileSystem: WalkerFileSystem {
    public init() {}

    public func status(of path: String) throws -> FileStatus {
        var st = stat()
        guard stat(path, &st) == 0 else {
            let e = errno
            throw InputError(Posix.code(for: e), "cannot stat: \(Posix.errorText(e))", path: path)
        }
        return Self.status(st)
    }

    /// Opens the directory (`O_DIRECTORY`, close-on-exec); nil when it cannot be opened.
    public func openDirectory(_ path: String) -> OpenDirectory? {
        if OpenDirectory.openCount >= OpenDirectory.limit { return nil }
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        return fd >= 0 ? OpenDirectory(descriptor: fd) : nil
    }

    /// `fstatat` from the open directory, following a symbolic link as `stat` does. (From the directory, the kernel
    /// resolves one name, not the ~12 of an archive file's path: that path walk was most of the system time of
    /// listing a 20,000-file archive.)
    public func status(ofEntry name: String, path: String, in directory: OpenDirectory) throws -> FileStatus {
        var st = stat()
        guard fstatat(directory.descriptor, name, &st, 0) == 0 else {
            let e = errno
            throw InputError(Posix.code(for: e), "cannot stat: \(Posix.errorText(e))", path: path)
        }
        return Self.status(st)
    }

    private static func status(_ st: stat) -> FileStatus {
        let kind: FileStatus.Kind = Posix.isRegular(st) ? .regular : Posix.isDirectory(st) ? .directory : .other
        return FileStatus(kind: kind, size: Int64(st.st_size), device: UInt64(st.st_dev), inode: UInt64(st.st_ino),
                          modifiedNanoseconds: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec))
    }

    public func resolvedPath(of path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    public func entries(of directory: String) throws -> [DirectoryEntry] {
        guard let dir = opendir(directory) else {
            let e = errno
            throw InputError(Posix.code(for: e), "cannot list directory: \(Posix.errorText(e))", path: directory)
        }
        defer { closedir(dir) }
        var result: [DirectoryEntry] = []
        while true {
            errno = 0
            guard let entry = readdir(dir) else {
                let e = errno
                if e != 0 {
                    throw InputError(.unreadable, "cannot list directory: \(Posix.errorText(e))", path: directory)
                }
                break
            }
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." { continue }
            let kind: DirectoryEntry.Kind
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_REG): kind = .regular
            case Int32(DT_DIR): kind = .directory
            case Int32(DT_LNK): kind = .symbolicLink
            case Int32(DT_UNKNOWN): kind = .unknown
            default: kind = .other
            }
            result.append(DirectoryEntry(name: name, kind: kind))
        }
        return result
    }
}
