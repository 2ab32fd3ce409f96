#if canImport(Glibc)
import Glibc
#endif

/// What the ledger remembers of a file to tell whether it changed: size, modification time (ns) and a
/// 64-bit FNV-1a hash of its first and last KiB.
public struct FileFingerprint: Sendable, Hashable {
    public var size: Int64
    public var mtimeNanoseconds: Int64
    /// 16 hex digits; empty when not computed.
    public var edgeHash: String

    public init(size: Int64, mtimeNanoseconds: Int64, edgeHash: String) {
        self.size = size
        self.mtimeNanoseconds = mtimeNanoseconds
        self.edgeHash = edgeHash
    }

    /// Size and mtime of `path` (no hash), or nil when it cannot be stat-ed.
    public static func stat(path: String) -> FileFingerprint? {
        var st = Glibc.stat()
        guard statPath(path, &st) == 0 else { return nil }
        let ns = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        return FileFingerprint(size: Int64(st.st_size), mtimeNanoseconds: ns, edgeHash: "")
    }

    /// The full fingerprint of `path` (stat plus edge hash), or nil when it cannot be read.
    public static func of(path: String) -> FileFingerprint? {
        guard var f = stat(path: path), let h = edgeHash(path: path, size: f.size) else { return nil }
        f.edgeHash = h
        return f
    }

    /// FNV-1a over the first KiB and the last KiB (overlapping for small files) of the file.
    public static func edgeHash(path: String, size: Int64) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var buf = [UInt8](repeating: 0, count: 1024)
        for offset in [Int64(0), max(0, size - 1024)] {
            let n = pread(fd, &buf, 1024, off_t(offset))
            guard n >= 0 else { return nil }
            for b in buf[0..<n] {
                hash ^= UInt64(b)
                hash = hash &* 0x0000_0100_0000_01b3
            }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// `stat(2)` (the struct's own `stat` hides the function inside it).
private func statPath(_ path: String, _ st: inout Glibc.stat) -> Int32 { stat(path, &st) }
