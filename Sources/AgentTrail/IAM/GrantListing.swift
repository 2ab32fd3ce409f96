/// What policies allow, listed for humans and checkers: per principal (authorization details, or plain files
/// associated by name) and per plain policy document, the expanded granted actions.
public enum GrantListing {
    /// One entry of the listing.
    public struct Entry: Sendable {
        /// `role/Name`, `user/Name`, or the document's file name.
        public var name: String
        public var arn: String?
        /// Wildcards and NotAction expanded against the catalogue, minus actions an unconditional Deny on `*` removes.
        public var granted: [IAMAction]
        /// `granted` narrowed to the actions each Allow's `Resource` can apply to, minus resource-scoped denies.
        public var effective: [IAMAction]
        /// Actions removed by Deny statements.
        public var denied: [IAMAction]
        /// Literal actions that do not exist in the catalogue (they grant nothing).
        public var unknownActions: [IAMAction]
        /// Actions granted only under conditions.
        public var conditional: [IAMAction]
    }

    /// Lists grants for every principal and every plain document found under `paths`.
    public static func make(paths: [String], mapping: [String: [String]] = [:]) -> (entries: [Entry], errors: [PolicyLoadError]) {
        let loaded = PolicyLoader(mapping: mapping).load(paths: paths)
        var entries: [Entry] = []
        for p in loaded.principals where !p.policies.documents.isEmpty {
            entries.append(entry(name: "\(p.kind.rawValue)/\(p.name)", arn: p.arn, policies: p.policies))
        }
        for d in loaded.documents {
            entries.append(entry(name: d.file ?? d.name, arn: nil, policies: PolicySet([d])))
        }
        return (entries, loaded.errors)
    }

    static func entry(name: String, arn: String?, policies: PolicySet) -> Entry {
        let g = Evaluator.grantedActions(policies)
        let e = EffectiveGrants(policies, base: g)
        let canonical: (IAMAction) -> IAMAction = { ActionCatalogue.shared.action(named: $0)?.action ?? $0 }
        return Entry(name: name, arn: arn, granted: g.actions.map(canonical), effective: e.sortedActions.map(canonical),
                     denied: Array(Set(g.deniedActions + e.denied)).sorted().map(canonical), unknownActions: g.unknownActions,
                     conditional: g.grants.values.filter(\.onlyConditional).map(\.action).sorted().map(canonical))
    }

    /// JSON: `{"grants": [{"name", "arn", "granted": [...], "effective": [...], "denied", "unknownActions", "conditional"}]}`.
    public static func json(_ entries: [Entry]) -> JSONValue {
        func list(_ a: [IAMAction]) -> JSONValue { .array(a.map { .string($0.description) }) }
        return .object([("grants", .array(entries.map { e in
            .object([("name", .string(e.name)), ("arn", .str(e.arn)), ("grantedCount", .int(e.granted.count)),
                     ("granted", list(e.granted)), ("effectiveCount", .int(e.effective.count)), ("effective", list(e.effective)),
                     ("denied", list(e.denied)), ("unknownActions", list(e.unknownActions)), ("conditional", list(e.conditional))])
        }))])
    }
}
