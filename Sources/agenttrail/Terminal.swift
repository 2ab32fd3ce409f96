import AgentTrail
#if canImport(Glibc)
import Glibc
#endif

/// The one way commands write output, and what they know of the terminal: stdout and stderr of `CommandIO.current`
/// (the process's file descriptors 1 and 2, or a captured run's buffers, which are not terminals).
enum Terminal {
    static var stdoutIsTTY: Bool {
        if case .captured = CommandIO.current { return false }
        return isatty(1) == 1
    }
    static var stderrIsTTY: Bool {
        if case .captured = CommandIO.current { return false }
        return isatty(2) == 1
    }
    /// Colours on stdout: only on a TTY and when NO_COLOR is not set.
    static var colors: Bool { stdoutIsTTY && Environment.value("NO_COLOR") == nil }
    static var width: Int {
        var w = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &w) == 0, w.ws_col > 0 { return Int(w.ws_col) }
        if let c = Environment.value("COLUMNS"), let n = Int(c), n > 0 { return n }
        return 120
    }

    static func writeStdout(_ s: String) {
        var s = s
        s.withUTF8 { buf in writeStdout(UnsafeRawBufferPointer(buf)) }
    }

    /// Writes bytes to stdout as they are.
    static func writeStdoutBytes(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buf in writeStdout(buf) }
    }

    /// Writes a message to stderr with every terminal control, bidi control and line separator made visible
    /// (`Escaping.terminal`): warnings quote file names, policy text and log values, which are untrusted.
    static func writeStderr(_ s: String, to io: CommandIO = .current) {
        writeStderrRaw(Escaping.terminal(s, keepNewlines: true), to: io)
    }

    /// Writes bytes to stderr as they are (the progress bar's own control sequences only).
    static func writeStderrRaw(_ s: String, to io: CommandIO = .current) {
        var s = s
        s.withUTF8 { buf in
            switch io {
            case .process: _ = write(2, buf.baseAddress, buf.count)
            case .captured(let c): c.appendStderr(UnsafeRawBufferPointer(buf))
            }
        }
    }

    /// All of `buf` to stdout (a short write to a pipe goes on where it stopped; an error ends it).
    private static func writeStdout(_ buf: UnsafeRawBufferPointer) {
        switch CommandIO.current {
        case .captured(let c):
            c.appendStdout(buf)
        case .process:
            var off = 0
            while off < buf.count {
                let n = write(1, buf.baseAddress! + off, buf.count - off)
                if n <= 0 { break }
                off += n
            }
        }
    }
}
