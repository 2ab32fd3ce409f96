import AgentTrail
import AgentTrailStore
import Synchronization

/// A nightly run's Sigma rules, loaded when the run asks (`NightlyOptions.prepare`): at once when it reads a file;
/// when it reads none, only if the rule files changed since they last loaded without error in this state file
/// (`RuleFilesFingerprint`, recorded by `StateStore.recordRuleFilesChecked`). A run over an unchanged archive then
/// spends nothing on its rules (parsing the shipped pack was a third of such a run), while a rule file edited or
/// broken since is still loaded and its error still ends the run, as it does for any scan.
final class DeferredRules: Sendable {
    private let options: RuleOptions
    private let config: AgentTrailConfig
    private let jobs: Int
    /// The rules once loaded.
    private let loaded = Mutex<RuleSet?>(nil)
    /// The error loading them gave (`StateScan` reports it as such, not as a state-file error).
    let failure = Mutex<CLIError?>(nil)

    init(options: RuleOptions, config: AgentTrailConfig, jobs: Int) {
        self.options = options
        self.config = config
        self.jobs = jobs
    }

    /// The rules' detector once loaded (none before, or for an empty rule set).
    var detectors: [any Detector] {
        loaded.withLock { $0 }.flatMap { DetectorRegistry.ruleDetector($0) }.map { [$0] } ?? []
    }

    /// Loads the rules when `reading`, or when their files' fingerprint differs from the one `store` recorded; records
    /// the fingerprint of files that loaded without error. Throws the rules' error (kept in `failure`).
    func prepare(reading: Bool, store: StateStore) throws {
        if loaded.withLock({ $0 != nil }) { return }
        // (The files `RuleOptions.load` reads, as it lists them.)
        let fingerprint = RuleFilesFingerprint.of(paths: options.rulePaths(config))
        let recorded = try store.ruleFilesChecked()
        if !reading, let fingerprint, recorded == fingerprint { return }
        let rules: RuleSet
        do { rules = try options.load(config: config, jobs: jobs) } catch let e as CLIError {
            failure.withLock { $0 = e }
            throw e
        }
        loaded.withLock { $0 = rules }
        if let fingerprint, recorded != fingerprint { try store.recordRuleFilesChecked(fingerprint) }
    }
}
