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
        var fixed = DetectorRegistry.policyDetectors(policies)
        let rules = try options.load(config: config)
        if let d = DetectorRegistry.ruleDetector(rules) { fixed.append(d) }
        return ScanDetectors(all: DetectorRegistry.all() + fixed, fixed: fixed, rules: rules)
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
