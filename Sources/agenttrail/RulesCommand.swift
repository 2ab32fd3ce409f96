import AgentTrail
import ArgumentParser

/// Which Sigma rules a scan runs: the shipped pack (unless turned off), the config's `rules:` and `--rules`.
struct RuleOptions: ParsableArguments {
    @Option(name: .customLong("rules"),
            help: ArgumentHelp("Sigma rule file or folder of .yml rules to run besides the default pack (repeatable).",
                               valueName: "path"))
    var paths: [String] = []

    @Flag(help: "Do not run AgentTrail's own rule pack (the config's defaultRules: false does the same).")
    var noDefaultRules = false

    /// Whether the shipped pack runs with `config`.
    func includesDefault(_ config: AgentTrailConfig) -> Bool { config.defaultRules && !noDefaultRules }

    /// The rule files and folders `load` reads with `config` (`RulePack.paths`: the pack's folder when it runs and is
    /// installed, the config's `rules:`, then `--rules`).
    func rulePaths(_ config: AgentTrailConfig) -> [String] {
        RulePack.paths(extra: config.rulePaths + paths, includeDefault: includesDefault(config))
    }

    /// Loads the rules for `config`; any rule that does not load is a fatal error (exit 1) listing every problem:
    /// a scan never runs with a rule silently missing.
    func load(config: AgentTrailConfig, jobs: Int = 1) throws -> RuleSet {
        try requireExisting(paths)
        let includeDefault = includesDefault(config)
        if includeDefault && RulePack.folder == nil {
            throw CLIError.fatal("the shipped rule pack (rules/ beside the data files) is not installed"
                                 + (BundledResources.folder.map { " in \(Escaping.terminal($0.path))" } ?? "")
                                 + "; install the data files of this version, or run with --no-default-rules")
        }
        // (Files parsed on up to `jobs` threads.)
        let (rules, errors) = SigmaRuleLoader.load(paths: rulePaths(config), jobs: jobs)
        if !errors.isEmpty {
            throw CLIError.fatal(errors.map { "rule error: " + Escaping.terminal($0.description) }.joined(separator: "\n")
                                 + "\n(\(errors.count) rule errors; `agenttrail rules check PATH` lists what each rule needs)")
        }
        return rules
    }
}

/// `agenttrail rules`: check Sigma rules and see what they match.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Check Sigma rules and list what they match.",
        subcommands: [Check.self, Match.self])

    /// `agenttrail rules check PATH...`
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Validate Sigma rules and list what each needs (eventSource, eventName, fields); exit 1 on any error.")

        @Argument(help: "Rule files or folders (default: the shipped pack).")
        var paths: [String] = []

        @Option(help: "text | json.")
        var format: RuleCheckReport.Format = .text

        func run() throws {
            try requireExisting(paths)
            let targets = paths.isEmpty ? RulePack.paths(extra: [], includeDefault: true) : paths
            if targets.isEmpty { throw CLIError.fatal(BundledResources.problem ?? "the shipped rule pack is not installed") }
            let (rules, errors) = SigmaRuleLoader.load(paths: targets)
            Terminal.writeStdout(RuleCheckReport(rules: rules, errors: errors).render(format))
            if !errors.isEmpty { throw ExitCode(1) }
        }
    }

    /// `agenttrail rules match --rules PATH LOGS...`
    struct Match: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "match",
            abstract: "Print every (file, record index, rule id) match as a JSON line, sorted (correlations not included).")

        @OptionGroup var rules: RuleOptions
        @OptionGroup var input: InputOptions

        func run() throws {
            let now = Instant.now
            let options = try input.scanOptions(now: now)
            let set = try rules.load(config: AgentTrailConfig())
            let (matches, summary) = RuleMatchRun.run(rules: set, options: options)
            var out = ""
            for m in matches { out += m.jsonLine + "\n" }
            Terminal.writeStdout(out)
            try Exit.finish(damaged: summary.failed, allowDamaged: input.allowDamaged)
        }
    }
}

extension RuleCheckReport.Format: ExpressibleByArgument {}
