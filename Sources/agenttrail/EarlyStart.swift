import AgentTrail

/// Work a command line will need, started from its raw words before ArgumentParser reads them.
///
/// A scan or review with `--policies` needs the IAM catalogue (~20 ms of parsing on one core, ~10 ms on two), and asks
/// for it only after a single-threaded start: the process's own start, ArgumentParser's parse (~5 ms, mostly the
/// Swift runtime's first protocol-conformance lookups), the config and the policy files. Started here, the catalogue
/// loads on another core during that start (`ActionCatalogue.startLoading`).
///
/// This is a guess from the words, never a decision: the command still loads what it needs as before, and a wrong
/// guess (a usage error, a path named `--policies`) only costs the load. It is made only when the run may use more
/// than one thread: with `--jobs 1` a scan keeps to one thread throughout, so nothing starts early.
enum EarlyStart {
    /// Subcommands that load the catalogue when given `--policies`.
    static let commandsWithPolicies: Set<String> = ["scan", "review"]

    /// Starts what `arguments` (the process's, program name first) will need.
    static func begin(_ arguments: [String]) {
        if let jobs = catalogueJobs(arguments) { ActionCatalogue.startLoading(jobs: jobs) }
    }

    /// The threads to load the catalogue on when `arguments` is a scan or review with `--policies` that may use more
    /// than one thread (`--jobs`, else the default); nil when nothing should start early.
    static func catalogueJobs(_ arguments: [String]) -> Int? {
        let words = arguments.dropFirst()
        guard let command = words.first, commandsWithPolicies.contains(command) else { return nil }
        var policies = false
        var jobs = ScanOptions.defaultJobs
        var previous: String?
        for word in words.dropFirst() {
            if word == "--" { break }  // (what follows is paths)
            if word == "--policies" || word.hasPrefix("--policies=") { policies = true }
            if previous == "--jobs", let n = Int(word) { jobs = n }
            if word.hasPrefix("--jobs="), let n = Int(word.dropFirst("--jobs=".count)) { jobs = n }
            previous = word
        }
        return policies && jobs > 1 ? jobs : nil
    }
}
