/// Which resources an action is authorized against, from the catalogue's resource types.
public enum ResourceApplicability {
    /// A policy decision without the statement details.
    public enum Outcome: Sendable, Hashable { case allow, conditional, implicitDeny, explicitDeny }

    /// The ARNs among `arns` whose catalogue resource type is one the action can be scoped to
    /// (`s3:GetObject` keeps the object ARN and drops the bucket ARN).
    public static func applicable(_ arns: [String], to action: IAMAction, catalogue: ActionCatalogue = .shared) -> [String] {
        var cache = TypeCache()
        return applicable(arns, to: action, catalogue: catalogue, cache: &cache)
    }

    /// Memo of `ActionCatalogue.resourceType(matching:prefix:)` names, per service prefix then ARN (bounded: emptied
    /// when it holds `limit` ARNs).
    public struct TypeCache {
        var names: [String: [String: String?]] = [:]
        /// ARNs held, over every prefix.
        private(set) var count = 0
        /// ARNs kept before the memo is emptied. (It was 100,000 — per worker, keyed by service and ARN: on an
        /// archive of many distinct ARNs (object keys, items) a review's two workers held ~20 MB of it, a third of the
        /// 64 MB budget, for lookups that each cost a few microseconds.)
        static let limit = 4096
        public init() {}

        /// The memoised type name of `arn` for `prefix`, made by `make` when not held.
        mutating func name(_ arn: String, prefix: String, _ make: () -> String?) -> String? {
            if let held = names[prefix]?[arn] { return held }
            let made = make()
            if count >= TypeCache.limit { names.removeAll(keepingCapacity: true); count = 0 }
            names[prefix, default: [:]][arn] = .some(made)
            count += 1
            return made
        }
    }

    /// `applicable` with a memo, for the per-record hot path.
    public static func applicable(_ arns: [String], to action: IAMAction, catalogue: ActionCatalogue, cache: inout TypeCache) -> [String] {
        guard !arns.isEmpty, let info = catalogue.action(named: action), info.supportsResourceLevelPermissions else { return [] }
        // (Looked up by prefix, then ARN: a key joined from both was a string made per ARN and record.)
        let prefix = action.prefix
        return arns.filter { arn in
            let name = cache.name(arn, prefix: prefix) { catalogue.resourceType(matching: arn, prefix: prefix)?.name }
            guard let name else { return false }
            return info.resourceTypes.contains { $0.name == name }
        }
    }

    /// Decides one successful call: against each applicable resource (any Deny wins; any Allow or conditional
    /// outcome counts as granted), against `*` when the action supports no resource-level permissions, and with an
    /// unknown resource when none was found in the record.
    /// With `covering` (`evaluator.covering(action)`, made once by a caller deciding the action many times), only
    /// those statements are read; the outcome is the same.
    public static func decide(_ evaluator: Evaluator, action: IAMAction, resources: [String], context: RequestContext,
                              catalogue: ActionCatalogue = .shared, covering: Evaluator.Covering? = nil) -> Outcome {
        func outcome(_ resource: String?) -> Outcome {
            if let covering { return evaluator.outcome(of: covering, resource: resource, context: context) }
            return evaluator.outcome(action: action, resource: resource, context: context)
        }
        if resources.isEmpty {
            let scoped = catalogue.action(named: action)?.supportsResourceLevelPermissions ?? true
            return outcome(scoped ? nil : "*")
        }
        // (Over the resources as they are: this runs per record and action in a review.)
        var granted: Outcome?
        for t in resources {
            switch outcome(t) {
            case .explicitDeny: return .explicitDeny
            case .allow: granted = .allow
            case .conditional: if granted == nil { granted = .conditional }
            case .implicitDeny: break
            }
        }
        return granted ?? .implicitDeny
    }

    /// True when an Allow statement's resources can apply to `action`: `*` applies to everything; an action that
    /// supports no resource-level permissions is authorized against `*` only; otherwise some pattern must fit a
    /// resource type the action supports (patterns whose service is a wildcard or unknown are assumed to fit).
    /// `NotResource` is assumed to apply.
    public static func statementApplies(_ spec: ResourceSpec, to action: IAMAction, catalogue: ActionCatalogue = .shared) -> Bool {
        Resolved(spec, catalogue: catalogue).applies(to: action, catalogue: catalogue)
    }

    /// A statement's `Resource` resolved once against the catalogue (`ActionCatalogue.resourceTypes(compatibleWith:)`
    /// per pattern), for deciding `statementApplies` for many actions: each action then costs a catalogue lookup and
    /// a few name comparisons, not a hash of every pattern (`EffectiveGrants` asks for every granted action).
    public struct Resolved: Sendable {
        enum Kind: Sendable {
            /// `*` among the patterns, or `NotResource`: applies to every action.
            case always
            /// No `Resource`: applies to none.
            case never
            /// Per pattern, the resource types it can name (name, lowercased prefix); nil when its service is a
            /// wildcard or unknown (assumed to fit).
            case patterns([[Fit]?])
        }
        struct Fit: Sendable {
            let name: String
            let prefix: String
        }
        let kind: Kind

        /// Resolves `spec`; `memo` holds the types of patterns met before (statements often repeat patterns).
        public init(_ spec: ResourceSpec, catalogue: ActionCatalogue, memo: inout [String: [ResourceTypeInfo]?]) {
            switch spec {
            case .unspecified: kind = .never
            case .notResources: kind = .always
            case .resources(let patterns):
                if patterns.contains(where: { Glob.matchesAsterisk($0) }) { kind = .always; return }
                kind = .patterns(patterns.map { p in
                    let types: [ResourceTypeInfo]?
                    if let known = memo[p] { types = known } else {
                        types = catalogue.resourceTypes(compatibleWith: p)
                        memo[p] = .some(types)
                    }
                    return types.map { $0.map { Fit(name: $0.name, prefix: $0.prefix.lowercased()) } }
                })
            }
        }

        public init(_ spec: ResourceSpec, catalogue: ActionCatalogue = .shared) {
            var memo: [String: [ResourceTypeInfo]?] = [:]
            self.init(spec, catalogue: catalogue, memo: &memo)
        }

        /// `statementApplies(spec, to: action)`.
        public func applies(to action: IAMAction, catalogue: ActionCatalogue = .shared) -> Bool {
            let fits: [[Fit]?]
            switch kind {
            case .always: return true
            case .never: return false
            case .patterns(let list): fits = list
            }
            guard let supported = catalogue.resourceRequirements(of: action) else { return true }
            guard !supported.isEmpty else { return false }
            // (An action supports a handful of resource types: a linear search beats building a set per call.)
            let prefix = action.prefix.lowercased()
            return fits.contains { types in
                guard let types else { return true }
                return types.contains { type in type.prefix == prefix && supported.contains { $0.name == type.name } }
            }
        }
    }
}
