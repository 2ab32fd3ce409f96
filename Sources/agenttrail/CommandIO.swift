import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// What a command reads and writes besides its arguments and files: stdout, stderr, whether they are terminals, and
/// the environment. The binary runs on the process's (`.process`); a test runs a command in process on buffers
/// (`.captured`): `CommandIO.$current.withValue(.captured(output)) { AgentTrailCommand.execute(arguments) }`.
///
/// Commands never touch file descriptors 1 and 2 or the environment themselves: they go through `Terminal` and
/// `Environment`, which follow `CommandIO.current`. It is a task-local, so in-process runs in parallel (Swift Testing)
/// each keep their own output. It does not follow work onto other threads: a callback a command hands to the library
/// captures the value it writes to (`ProgressBar`, the state lock's message).
enum CommandIO: Sendable {
    /// File descriptors 1 and 2 and the process environment.
    case process
    /// Buffers and a given environment; neither stream is a terminal.
    case captured(CapturedOutput)

    @TaskLocal static var current: CommandIO = .process
}

/// The stdout and stderr of a command run in process, as the bytes it wrote, and the environment it sees.
final class CapturedOutput: Sendable {
    let environment: [String: String]
    private let out = Mutex<[UInt8]>([])
    private let err = Mutex<[UInt8]>([])

    init(environment: [String: String]) { self.environment = environment }

    /// Everything written to stdout so far.
    var stdout: [UInt8] { out.withLock { $0 } }
    /// Everything written to stderr so far.
    var stderr: [UInt8] { err.withLock { $0 } }

    func appendStdout(_ bytes: UnsafeRawBufferPointer) { out.withLock { $0.append(contentsOf: bytes) } }
    func appendStderr(_ bytes: UnsafeRawBufferPointer) { err.withLock { $0.append(contentsOf: bytes) } }
}

/// The environment of the command (`CommandIO.current`): the process's, or the one a captured run was given.
enum Environment {
    /// Every variable.
    static var all: [String: String] {
        if case .captured(let c) = CommandIO.current { return c.environment }
        var out: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { out[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
            p += 1
        }
        return out
    }

    /// One variable, nil when unset.
    static func value(_ name: String) -> String? {
        if case .captured(let c) = CommandIO.current { return c.environment[name] }
        return getenv(name).map { String(cString: $0) }
    }
}
