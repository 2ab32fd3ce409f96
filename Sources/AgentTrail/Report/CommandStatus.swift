/// An input file (log, policy) that could not be read completely: named on the command line or found in a folder.
public typealias DamagedInput = ScanSummary.FailedFile

/// The exit status of every command (named apart from Swift Testing's `CommandStatus`), decided in one place by one precedence:
///
/// 1. a finding at or above `--fail-on` → `findings` (2), damaged inputs or not;
/// 2. otherwise a damaged or unreadable input (truncated or corrupt gzip, a file that is not JSON, an I/O error, a
///    FIFO or device named on the command line, an unreadable policy file) → `damagedInput` (3), unless
///    `--allow-damaged`;
/// 3. otherwise `success` (0).
///
/// Usage errors and fatal errors (bad config, state file in use, a path on the command line that does not exist)
/// end the run before any of this with `usage` (1). Malformed records inside a readable file are reported but do
/// not count as damage: `events` cannot see them all (its push-down skips records without parsing them), and the
/// status must not depend on filters.
public enum CommandStatus: Int32, Sendable, CaseIterable, CustomStringConvertible {
    case success = 0
    /// A usage error or a fatal error (nothing trustworthy was produced).
    case usage = 1
    /// A finding at or above `--fail-on`.
    case findings = 2
    /// Some input could not be read completely (and `--allow-damaged` was not given).
    case damagedInput = 3

    public var description: String {
        switch self {
        case .success: "0 (fine)"
        case .usage: "1 (usage or fatal error)"
        case .findings: "2 (a finding at or above --fail-on)"
        case .damagedInput: "3 (damaged or unreadable input)"
        }
    }

    /// The decision for a run that produced its output.
    /// - Parameters:
    ///   - findings: the severities of the findings `--fail-on` applies to (empty for commands without findings).
    ///   - failOn: the `--fail-on` threshold, nil when not given.
    ///   - damaged: the inputs that could not be read completely.
    ///   - allowDamaged: `--allow-damaged`.
    public static func decide(findings: some Sequence<Severity>, failOn: Severity?, damaged: [DamagedInput],
                              allowDamaged: Bool) -> Decision {
        let hit = failOn.map { threshold in findings.contains { $0 >= threshold } } ?? false
        let status: CommandStatus = hit ? .findings : (!damaged.isEmpty && !allowDamaged ? .damagedInput : .success)
        return Decision(status: status, damaged: damaged, allowDamaged: allowDamaged)
    }

    /// A decision with what to tell the user about damaged inputs.
    public struct Decision: Sendable, Hashable {
        public var status: CommandStatus
        public var damaged: [DamagedInput]
        public var allowDamaged: Bool

        /// One line for stderr naming what was damaged and what it did to the exit status; nil when nothing was.
        /// File names and reasons are escaped for the terminal.
        public var note: String? {
            guard !damaged.isEmpty else { return nil }
            let n = damaged.count
            var line = "agenttrail: \(n) damaged or unreadable input\(n == 1 ? "" : "s"): "
            line += damaged.prefix(3).map { d in
                Escaping.terminal(d.path) + (d.offset.map { " (byte \($0))" } ?? "") + ": " + Escaping.terminal(d.reason)
            }.joined(separator: "; ")
            if n > 3 { line += "; … \(n - 3) more" }
            switch status {
            case .damagedInput: line += " (exit 3; --allow-damaged accepts them)"
            case .findings: line += " (findings at or above --fail-on take precedence: exit 2)"
            case .success, .usage: line += allowDamaged ? " (accepted: --allow-damaged)" : ""
            }
            return line + "\n"
        }
    }
}

extension PolicyLoadError {
    /// The file could not be read, is too large or is not JSON (a damaged input, unlike a document that parses but is not a
    /// valid policy, which is a lint finding).
    public var isDamagedInput: Bool { code == .unreadable || code == .invalidJSON || code == .tooLarge }

    /// As a damaged input.
    public var damagedInput: DamagedInput {
        DamagedInput(path: file ?? "<input>", offset: nil, reason: jsonPath.isEmpty ? message : jsonPath + ": " + message)
    }
}
