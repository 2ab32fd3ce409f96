/// Loads `--policies` into what detectors and the review need: per principal its policies, expanded grants,
/// trusted source CIDRs and granted services.
public enum PolicyContextLoader {
    public struct Loaded: Sendable {
        /// Keyed by principal ARN, or `role/<Name>` / `user/<Name>` when only the name is known.
        public var info: [String: PrincipalPolicyInfo]
        /// Lint findings per principal key.
        public var lint: [String: [LintFinding]]
        /// Messages for policy files that could not be loaded.
        public var warnings: [String]
        /// Authorization-details groups and unassociated documents are not principals; they are listed here.
        public var unassociatedDocuments: [String]
        /// Policy files that could not be read or are not JSON (also among `warnings`).
        public var damaged: [DamagedInput] = []
    }

    /// Loads policies from files, folders or authorization-details output, using the config's mapping.
    /// `jobs`: threads for the per-principal work (lint here; grant expansion later, `AnalysisContext.deriveGrants`),
    /// which is independent per principal.
    public static func load(paths: [String], config: AgentTrailConfig, jobs: Int = 1) throws -> Loaded {
        guard !paths.isEmpty else { return Loaded(info: [:], lint: [:], warnings: [], unassociatedDocuments: []) }
        let result = PolicyLoader(mapping: config.policyFiles).load(paths: paths)
        let principals = result.principals.filter { $0.kind != .group }
        // (Loaded here, on `jobs` threads, rather than by the first principal's lint inside the parallel map.)
        ActionCatalogue.prepareShared(jobs: jobs)
        let linter = PolicyLinter()
        func derive(_ p: PrincipalPolicies) -> (key: String, info: PrincipalPolicyInfo, lint: [LintFinding]) {
            let key = p.arn ?? "\(p.kind.rawValue)/\(p.name)"
            // (Grants are derived on first use, after the scan: `PrincipalPolicyInfo`.)
            let info = PrincipalPolicyInfo(principalArn: key, derivingFrom: p)
            return (key, info, p.policies.documents.flatMap { linter.lint($0) })
        }
        let derived = ParallelMap.map(principals, jobs: jobs, derive)
        var info: [String: PrincipalPolicyInfo] = [:]
        var lint: [String: [LintFinding]] = [:]
        for d in derived {  // (in the loader's order, as before: a later principal with the same key wins)
            info[d.key] = d.info
            lint[d.key] = d.lint
        }
        let used = Set(result.principals.flatMap { $0.policies.documents.compactMap(\.file) })
        let orphans = result.documents.compactMap(\.file).filter { !used.contains($0) }
        return Loaded(info: info, lint: lint, warnings: result.errors.map(\.description), unassociatedDocuments: orphans.sorted(),
                      damaged: result.errors.filter(\.isDamagedInput).map(\.damagedInput))
    }
}
