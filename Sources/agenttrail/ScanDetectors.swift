import AgentTrail
import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// The detectors of a scan, and of the merge of its partial results: every registered detector, the policy
/// detectors and the Sigma rules (none with `--summary-only`).
struct ScanDetectors {
    /// All of them, in run order.
    var all: [any Detector]
    /// Those that read no stored baselines: the policy detectors and the rules (nightly mode makes the rest itself).
    var fixed: [any Detector]
    /// The rules loaded (nil with `--summary-only`).
    var rules: RuleSet?

    static func make(summaryOnly: Bool, policies: PolicyContextLoader.Loaded, rules options: RuleOptions,
                     config: AgentTrailConfig) throws -> ScanDetectors {
        if summaryOnly { return ScanDetectors(all: [], fixed: [], rules: nil) }
        return assemble(policies: policies, rules: try options.load(config: config), registered: DetectorRegistry.all())
    }

    /// The config and the policies into `options.context` (`AnalysisOptions.loadContext`), and the detectors
    /// (`make`): with more than one job, the policies load on one thread while the rule pack loads and the registered
    /// detectors are made on another (neither needs the other; one after the other they left the second worker idle
    /// for ~0.15 G instructions of start-up); without `--policies`, where loading them is next to nothing, the rule
    /// files are parsed on the jobs' threads. Errors as `loadContext` then `make` give them: config, policies, rules.
    ///
    /// With `deferringRules` (a nightly run, `StateScan`) the rules are not loaded here: `rules` is nil, `fixed` and
    /// `all` lack the rules' detector, and `deferred` loads them when the run asks (`DeferredRules`).
    static func load(analysis: AnalysisOptions, summaryOnly: Bool, rules options: RuleOptions, deferringRules: Bool = false,
                     into scan: inout ScanOptions) throws -> (policies: PolicyContextLoader.Loaded, detectors: ScanDetectors,
                                                              deferred: DeferredRules?) {
        let config = try analysis.loadCommandConfig()
        let jobs = scan.jobs
        if deferringRules && !summaryOnly {
            let policies = try analysis.loadPolicies(config: config, jobs: jobs)
            scan.context = AnalysisContext(config: config, policies: policies.info)
            let fixed = DetectorRegistry.policyDetectors(policies)
            let deferred = DeferredRules(options: options, config: config, jobs: jobs)
            return (policies, ScanDetectors(all: DetectorRegistry.all() + fixed, fixed: fixed, rules: nil), deferred)
        }
        let (policies, parts) = try ParallelMap.both(parallel: jobs > 1 && !summaryOnly, {
            try analysis.loadPolicies(config: config, jobs: jobs)
        }, { () throws -> (RuleSet, [any Detector])? in
            summaryOnly ? nil : (try options.load(config: config, jobs: analysis.policies.isEmpty ? jobs : 1),
                                 DetectorRegistry.all())
        })
        scan.context = AnalysisContext(config: config, policies: policies.info)
        guard let (rules, registered) = parts else { return (policies, ScanDetectors(all: [], fixed: [], rules: nil), nil) }
        return (policies, assemble(policies: policies, rules: rules, registered: registered), nil)
    }

    /// The registered detectors, then the policy detectors and the rules' detector.
    private static func assemble(policies: PolicyContextLoader.Loaded, rules: RuleSet, registered: [any Detector]) -> ScanDetectors {
        var fixed = DetectorRegistry.policyDetectors(policies)
        if let d = DetectorRegistry.ruleDetector(rules) { fixed.append(d) }
        return ScanDetectors(all: registered + fixed, fixed: fixed, rules: rules)
    }

    /// The fingerprint partial results of this run carry.
    func fingerprint(analysis: AnalysisOptions, options: ScanOptions) -> PartialFingerprint {
        var options = options
        options.detectors = all
        return analysis.fingerprint(options: options, rules: rules)
    }
}

extension AnalysisOptions {
    /// The config file `loadConfig` reads: --config, else ./agenttrail.yml when present; nil for the defaults.
    var configPath: String? {
        if let config { return config }
        return access("agenttrail.yml", R_OK) == 0 ? "agenttrail.yml" : nil
    }

    /// The fingerprint of partial results of a run of `options.detectors` (with `rules` among them) with this config
    /// and these policies.
    func fingerprint(options: ScanOptions, rules: RuleSet?) -> PartialFingerprint {
        PartialFingerprint.make(configPath: configPath, policyPaths: policies, rules: rules, detectors: options.detectors,
                                filter: options.filter, since: options.since, until: options.until)
    }
}
