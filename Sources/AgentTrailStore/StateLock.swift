#if canImport(Glibc)
import Glibc
#endif

/// An exclusive advisory lock (`flock`) on `<state file>.lock`, held by the one process writing a state file.
/// The kernel releases it when the process exits or is killed, so a crashed run never leaves it stale.
public final class StateLock: @unchecked Sendable {
    private let fd: Int32
    public let path: String

    /// Takes the lock; when another process holds it, waits up to `waitSeconds` (calling `onWait` once with a
    /// message) and then throws `StateError(.locked)` naming the holder's pid.
    public init(statePath: String, waitSeconds: Double = 0, onWait: ((String) -> Void)? = nil) throws {
        path = statePath + ".lock"
        try StateStore.makeParentDirectory(of: statePath)
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if fd < 0 { throw StateError(.unusable, "cannot open lock file \(path): \(String(cString: strerror(errno)))", path: path) }
        var waited = 0.0
        var told = false
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let holder = StateLock.readHolder(fd)
            if waited >= waitSeconds {
                // No close(fd) here: the instance is fully initialized, so Swift runs deinit when init throws,
                // and deinit closes it. Closing twice could close a descriptor another thread just opened.
                throw StateError(.locked, "state file \(statePath) is in use by another agenttrail run\(holder.map { " (pid \($0))" } ?? "")"
                    + (waitSeconds > 0 ? "; gave up after \(Int(waitSeconds)) s" : "") + " — try again later, or pass --wait-lock SECONDS",
                    path: statePath)
            }
            if !told {
                onWait?("state file \(statePath) is in use by another agenttrail run\(holder.map { " (pid \($0))" } ?? ""); waiting up to \(Int(waitSeconds)) s")
                told = true
            }
            usleep(200_000)
            waited += 0.2
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    private static func readHolder(_ fd: Int32) -> String? {
        var buf = [UInt8](repeating: 0, count: 32)
        let n = pread(fd, &buf, 31, 0)
        guard n > 0 else { return nil }
        let s = String(decoding: buf[0..<n].filter { $0 >= 48 && $0 <= 57 }, as: UTF8.self)
        return s.isEmpty ? nil : s
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
