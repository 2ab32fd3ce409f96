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
    public static func load(paths: [String], config: AgentTrailConfig) throws -> Loaded {
        guard !paths.isEmpty else { return Loaded(info: [:], lint: [:], warnings: [], unassociatedDocuments: []) }
        let result = PolicyLoader(mapping: config.policyFiles).load(paths: paths)
        var info: [String: PrincipalPolicyInfo] = [:]
        var lint: [String: [LintFinding]] = [:]
        let linter = PolicyLinter()
        for p in result.principals where p.kind != .group {
            let key = p.arn ?? "\(p.kind.rawValue)/\(p.name)"
            let grants = Evaluator.grantedActions(p.policies)
            let effective = EffectiveGrants(p.policies, base: grants)
            let services = Set(effective.actions.keys.map { $0.prefix.lowercased() })
            info[key] = PrincipalPolicyInfo(principalArn: key, trustedCIDRs: Evaluator.trustedSourceCIDRs(p.policies),
                                            grantedServices: services, policies: p, grants: grants, effective: effective)
            lint[key] = p.policies.documents.flatMap { linter.lint($0) }
        }
        let used = Set(result.principals.flatMap { $0.policies.documents.compactMap(\.file) })
        let orphans = result.documents.compactMap(\.file).filter { !used.contains($0) }
        return Loaded(info: info, lint: lint, warnings: result.errors.map(\.description), unassociatedDocuments: orphans.sorted(),
                      damaged: result.errors.filter(\.isDamagedInput).map(\.damagedInput))
    }
}
