import AgentTrail
import Synchronization

/// A one-line progress bar on stderr (only when stderr is a TTY): files done/total (found so far while the archive
/// is walked), MB/s, ETA. It is drawn from the
/// scan's worker threads, so it keeps the stderr of the command that made it (`CommandIO.current` then).
final class ProgressBar: Sendable {
    private let lastDraw = Mutex<Double>(0)
    private let io: CommandIO

    private init(io: CommandIO) { self.io = io }

    static func makeIfTTY() -> ProgressBar? { Terminal.stderrIsTTY ? ProgressBar(io: .current) : nil }

    func update(_ p: ScanProgress) {
        let now = p.secondsElapsed
        let draw = lastDraw.withLock { last -> Bool in
            if now - last < 0.1 && p.filesDone < p.filesTotal { return false }
            last = now
            return true
        }
        guard draw else { return }
        let frac = p.compressedBytesTotal > 0 ? Double(p.compressedBytesDone) / Double(p.compressedBytesTotal) : 1
        let width = 30
        let filled = Int(frac * Double(width))
        let mbs = now > 0 ? Double(p.uncompressedBytesDone) / 1_000_000 / now : 0
        let eta = frac > 0 ? now / frac - now : 0
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        // (While the archive is still walked the totals grow: "+" after them, and no ETA.)
        let total = p.walkFinished ? "\(p.filesTotal)" : "\(p.filesTotal)+"
        let etaText = p.walkFinished ? "ETA \(Int(eta.rounded())) s" : "walking"
        Terminal.writeStderrRaw("\r\u{1B}[2K\(bar) \(p.filesDone)/\(total) files  \(Int(mbs)) MB/s  \(etaText)", to: io)
    }

    func finish() { Terminal.writeStderrRaw("\r\u{1B}[2K", to: io) }
}
