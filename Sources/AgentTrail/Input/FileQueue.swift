import Synchronization

/// The files of a run, handed to its workers from both ends: largest first from the front, and, while the
/// whole-file budget cannot take the next large file, smallest first from the back.
///
/// A worker (`drain`) takes the next file from the front and tries to read it without waiting for the budget.
/// When it is put off (other workers hold the budget), the worker keeps it and reads small files from the back,
/// trying it again after each one; when no file is left at the back it waits for the budget and reads it. So
/// both cores stay busy, large files are never streamed with zlib for lack of room, and the only shared lock is
/// taken once per file (the queue's, and the budget's inside the reader).
final class FileQueue: Sendable {
    /// Largest first; ties by path.
    let files: [LogFile]
    /// Next index at the front, and one past the last file not yet taken at the back.
    private let ends: Mutex<(front: Int, back: Int)>

    init(_ files: consuming [LogFile]) {
        self.files = files.sorted { $0.size != $1.size ? $0.size > $1.size : $0.path < $1.path }
        self.ends = Mutex((0, self.files.count))
    }

    /// The largest file not yet taken.
    func popFront() -> LogFile? {
        ends.withLock { e in
            guard e.front < e.back else { return nil }
            e.front += 1
            return files[e.front - 1]
        }
    }

    /// The smallest file not yet taken.
    func popBack() -> LogFile? {
        ends.withLock { e in
            guard e.front < e.back else { return nil }
            e.back -= 1
            return files[e.back]
        }
    }

    /// One worker's loop until every file is taken. `read(file, wait)` reads a file and returns true, or, with
    /// `wait` false only, returns false without reading it when the budget cannot lend its buffers now.
    func drain(_ read: (LogFile, _ wait: Bool) -> Bool) {
        var putOff: LogFile?
        while true {
            if let file = putOff {
                if read(file, false) {
                    putOff = nil
                } else if let small = popBack() {
                    _ = read(small, true)
                } else {
                    _ = read(file, true)
                    putOff = nil
                }
                continue
            }
            guard let file = popFront() else { return }
            if !read(file, false) { putOff = file }
        }
    }
}
