import AgentTrail
import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// Inputs, pruning and parallelism shared by every command that reads logs.
struct InputOptions: ParsableArguments {
    @Argument(help: "Log files or folders (an `aws s3 sync`-ed AWSLogs tree, .json.gz, .json, .jsonl); `-` reads stdin.")
    var paths: [String] = []

    @Option(name: .customLong("account"), help: "Only this account id (repeatable; pruned by path).")
    var accounts: [String] = []

    @Option(name: .customLong("region"), help: "Only this region (repeatable; pruned by path).")
    var regions: [String] = []

    @Option(help: "Only records at or after this time: ISO 8601 (2026-11-28, 2026-11-28T10:00Z) or an age (90m, 24h, 7d).")
    var since: String?

    @Option(help: "Only records at or before this time (same forms as --since).")
    var until: String?

    @Option(help: "Parallel workers (default: all cores).")
    var jobs: Int = ScanOptions.defaultJobs

    @Option(help: "auto | zlib | libdeflate. auto uses libdeflate when libdeflate.so.0 is installed.")
    var decompressor: Decompressor = .auto

    @Option(name: .customLong("max-record-mb"),
            help: "Largest record kept, in MiB (default 64); larger ones are reported with file, index and offset and skipped without being buffered.")
    var maxRecordMB: Int = RecordSplitter.defaultMaxRecordBytes >> 20

    @Flag(help: "Exit 0, not 3, when some input is damaged or unreadable (it is still reported).")
    var allowDamaged = false

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one log file or folder (or - for stdin)") }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if maxRecordMB < 1 || maxRecordMB > 4096 { throw ValidationError("--max-record-mb must be between 1 and 4096") }
        _ = try wholeFileBudgetBytes()
    }

    /// The whole-file decompression budget: `AGENTTRAIL_WHOLE_FILE_BUDGET_MB` (MiB) when set, else the default.
    func wholeFileBudgetBytes() throws -> Int {
        let name = "AGENTTRAIL_WHOLE_FILE_BUDGET_MB"
        guard let text = Environment.value(name) else { return WholeFileBudget.defaultBytes }
        guard let mib = Int(text), mib >= 0, mib <= 1 << 20 else {
            throw ValidationError("\(name) must be a whole number of MiB (0 to 1048576), not '\(text)'")
        }
        return mib << 20
    }

    /// Query options for `events` and `timeline`.
    func queryOptions(query: EventQuery) throws -> QueryOptions {
        try requireExisting(paths)
        var options = QueryOptions(paths: paths, query: query, jobs: jobs, decompressor: decompressor)
        options.wholeFileBudgetBytes = try wholeFileBudgetBytes()
        options.maxRecordBytes = maxRecordMB << 20
        return options
    }

    /// Parsed --since/--until relative to `now`.
    func timeRange(now: Instant) throws -> (Instant?, Instant?) {
        do {
            let s = try since.map { try TimeExpression.parse($0, now: now) }
            let u = try until.map { try TimeExpression.parse($0, now: now) }
            if let s, let u, s > u { throw ValidationError("--since is after --until") }
            return (s, u)
        } catch let e as TimeExpression.ParseError {
            throw ValidationError(e.description)
        }
    }

    func scanOptions(now: Instant) throws -> ScanOptions {
        try requireExisting(paths)
        let (s, u) = try timeRange(now: now)
        let filter = PathFilter(accounts: Set(accounts), regions: Set(regions), since: s, until: u)
        var options = ScanOptions(paths: paths, filter: filter, since: s, until: u, jobs: jobs, decompressor: decompressor,
                                  now: now)
        options.wholeFileBudgetBytes = try wholeFileBudgetBytes()
        options.maxRecordBytes = maxRecordMB << 20
        return options
    }
}

extension Decompressor: ExpressibleByArgument {}

/// Config file and policies shared by analysing commands.
struct AnalysisOptions: ParsableArguments {
    @Option(help: "YAML config (default: ./agenttrail.yml when present).")
    var config: String?

    /// One value per use (repeatable, or comma-separated), so a log path after it is never taken for a policy.
    @Option(name: .customLong("policies"),
            help: "IAM policy file, folder, or get-account-authorization-details output (repeatable; or comma-separated).")
    var policyArguments: [String] = []

    /// Every policy path given, in order.
    var policies: [String] { policyArguments.flatMap { $0.split(separator: ",").map(String.init) }.filter { !$0.isEmpty } }

    /// Loads the config and the policies and puts them into `options.context`: every analysing command's first step.
    /// A bad config is fatal (exit 1); a --policies path that does not exist is a usage error.
    func loadContext(into options: inout ScanOptions) throws -> PolicyContextLoader.Loaded {
        let config = try loadCommandConfig()
        let policies = try loadPolicies(config: config, jobs: options.jobs)
        options.context = AnalysisContext(config: config, policies: policies.info)
        return policies
    }

    /// `loadConfig` with a bad config made fatal (exit 1), as every analysing command reports it.
    func loadCommandConfig() throws -> AgentTrailConfig {
        do { return try loadConfig() } catch let e as CLIError { throw e } catch { throw CLIError.fatal("\(error)") }
    }

    /// Loads the policies (a --policies path that does not exist is a usage error).
    func loadPolicies(config: AgentTrailConfig, jobs: Int = 1) throws -> PolicyContextLoader.Loaded {
        try requireExisting(policies)
        return try PolicyContextLoader.load(paths: policies, config: config, jobs: jobs)
    }

    /// Loads the config: --config, else ./agenttrail.yml when present, else defaults.
    func loadConfig() throws -> AgentTrailConfig {
        try CLIError.requireBundledData()
        if let config { return try AgentTrailConfig.load(path: config) }
        if access("agenttrail.yml", R_OK) == 0 { return try AgentTrailConfig.load(path: "agenttrail.yml") }
        return AgentTrailConfig()
    }
}

/// Output choices for findings.
struct FindingOutputOptions: ParsableArguments {
    @Option(help: "Hide findings below this severity: info | low | medium | high | critical.")
    var minSeverity: SeverityArgument = SeverityArgument(.info)

    @Option(help: "Exit with status 2 when a finding is at or above this severity.")
    var failOn: SeverityArgument?
}

/// A severity as a command-line value.
struct SeverityArgument: ExpressibleByArgument {
    let value: Severity
    init(_ value: Severity) { self.value = value }
    init?(argument: String) {
        guard let s = Severity(name: argument) else { return nil }
        value = s
    }
    var defaultValueDescription: String { value.name }
}

/// A path named on the command line that does not exist (or is a dangling link) is a usage error (exit 1), not a
/// damaged input: nothing was there to read. `-` is standard input.
func requireExisting(_ paths: [String]) throws {
    for path in paths where path != "-" {
        var st = stat()
        if stat(path, &st) != 0 && (errno == ENOENT || errno == ENOTDIR) {
            throw CLIError.fatal("\(Escaping.terminal(path)): no such file or directory")
        }
    }
}

/// Ends a command by the library's decision (`CommandStatus`): prints its note about damaged inputs on stderr, then
/// exits with its status (0 returns normally).
enum Exit {
    static func finish(_ decision: CommandStatus.Decision) throws {
        if let note = decision.note { Terminal.writeStderr(note) }
        if decision.status != .success { throw ExitCode(decision.status.rawValue) }
    }

    /// The decision for findings (severities `--fail-on` applies to) and damaged inputs.
    static func finish(findings: some Sequence<Severity> = [Severity](), failOn: Severity? = nil, damaged: [DamagedInput],
                       allowDamaged: Bool) throws {
        try finish(CommandStatus.decide(findings: findings, failOn: failOn, damaged: damaged, allowDamaged: allowDamaged))
    }
}
