import AgentTrail
import Foundation
import ArgumentParser

/// `scan` options that read one shard of the input (a `ShardPlan`, made on the fly or by `agenttrail plan`) and write
/// a partial result instead of a report.
struct ShardOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Read only one shard: K/N (K from 0), K with --plan or --shards, or auto (K from JOB_COMPLETION_INDEX, or AWS_BATCH_JOB_ARRAY_INDEX with AWS_BATCH_JOB_ARRAY_SIZE).",
                               valueName: "K/N|K|auto"))
    var shard: String?

    @Option(help: "Number of shards, with --shard K or --shard auto when the environment does not give it (Kubernetes).")
    var shards: Int?

    @Option(help: "Shard plan made by `agenttrail plan`; the paths then name where its roots are on this machine.")
    var plan: String?

    @Option(name: .customLong("shard-by"), help: "Without --plan: what a shard keeps together: file | day | account-region-day | account (default: file; with --state: account, the only one allowed).")
    var shardBy: ShardUnit?

    @Option(name: .customLong("partial-out"),
            help: ArgumentHelp("Write this process's partial result (summary and detector state) to FILE instead of a report, for `agenttrail merge`; {shard} in FILE is replaced by the shard's index.",
                               valueName: "file"))
    var partialOut: String?

    var enabled: Bool { shard != nil }

    /// `--partial-out` with `{shard}` replaced by the shard's index (`0` without `--shard`).
    func partialPath(shard index: Int?) -> String? {
        partialOut.map { Self.expand($0, shard: index) }
    }

    /// `path` with `{shard}` replaced by the shard's index (`0` without a shard).
    static func expand(_ path: String, shard index: Int?) -> String {
        path.replacingOccurrences(of: "{shard}", with: String(index ?? 0))
    }

    /// The shard a process reads: K, N and the unit (from the plan with --plan).
    struct Applied {
        var index: Int
        var count: Int
        var unit: ShardUnit
    }

    func validate() throws {
        if shard == nil && (plan != nil || shards != nil) { throw ValidationError("--plan and --shards need --shard") }
        if let shards, shards < 1 { throw ValidationError("--shards must be at least 1") }
    }

    /// Restricts `options` to the shard: its files (`ScanOptions.walk`) and, with a plan, the plan's filters. Returns
    /// the shard's index (nil without `--shard`).
    @discardableResult
    func apply(to options: inout ScanOptions, input: InputOptions) throws -> Int? {
        try applyShard(to: &options, input: input)?.index
    }

    /// `apply`, returning K, N and the unit; `defaultUnit` when neither --shard-by nor a plan names one.
    func applyShard(to options: inout ScanOptions, input: InputOptions, defaultUnit: ShardUnit = .file) throws -> Applied? {
        guard let shard else { return nil }
        do {
            let spec = try ShardSpec.parse(shard, count: shards, environment: Environment.all)
            if let plan {
                let p = try ShardPlan.read(path: plan)
                if let n = spec.count, n != p.shardCount {
                    throw CLIError.fatal("\(plan): the plan has \(p.shardCount) shards, not \(n)")
                }
                if !input.accounts.isEmpty || !input.regions.isEmpty || input.since != nil || input.until != nil {
                    throw CLIError.fatal("\(plan): the plan fixes the input filters; give --account, --region, --since and --until to `agenttrail plan`")
                }
                options.filter = p.filter.pathFilter
                options.since = options.filter.since
                options.until = options.filter.until
                options.walk = try p.walk(forShard: spec.index, roots: input.paths)
                return Applied(index: spec.index, count: p.shardCount, unit: p.by)
            } else {
                guard let n = spec.count else {
                    throw CLIError.fatal("--shard \(shard): the number of shards is not known; give --shard K/N, --shards N or --plan")
                }
                let walk = ArchiveWalker(filter: options.filter).walk(options.paths)
                let unit = shardBy ?? defaultUnit
                let p = try ShardPlan(walk: walk, roots: options.paths, filter: options.filter, shardCount: n, by: unit)
                options.walk = try p.walk(forShard: spec.index)
                return Applied(index: spec.index, count: n, unit: unit)
            }
        } catch let e as ShardPlanError {
            throw CLIError.fatal(e.description)
        }
    }
}

extension ShardUnit: ExpressibleByArgument {}

extension ShardOptions {
    /// Reads the input without making findings and writes the partial result to `path`; a note on stderr. The exit
    /// status counts damaged inputs as a scan does (findings are made by `merge`).
    /// `rules`: the rules among `options.detectors` (for the fingerprint); `evidence`: also write the delivery hours
    /// of the files read (a review's evidence window).
    func writePartial(options: ScanOptions, rules: RuleSet?, analysis: AnalysisOptions, evidence: Bool = false, to path: String,
                      damaged: [DamagedInput], allowDamaged: Bool) throws {
        let bar = ProgressBar.makeIfTTY()
        var report: (@Sendable (ScanProgress) -> Void)? = nil
        if let bar { report = { bar.update($0) } }
        let state = ScanRun.collect(options, progress: report)
        bar?.finish()
        do {
            let files = evidence ? EvidenceFiles(options.walk?.files ?? ArchiveWalker(filter: options.filter).walk(options.paths).files) : nil
            try PartialFile.write(state, detectors: options.detectors, fingerprint: analysis.fingerprint(options: options, rules: rules),
                                  evidenceFiles: files, to: path)
        } catch let e as PartialFileError {
            throw CLIError.fatal(e.description)
        }
        let s = state.summary
        Terminal.writeStderr("partial result: \(s.filesRead) files, \(s.recordsTotal) records, \(options.detectors.count) detectors → \(path)\n")
        try Exit.finish(damaged: damaged + s.failed, allowDamaged: allowDamaged)
    }
}
