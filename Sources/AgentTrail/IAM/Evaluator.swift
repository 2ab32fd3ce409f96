/// The outcome of evaluating identity policies for one request.
public enum Decision: Hashable, Sendable {
    /// An Allow statement applies and no Deny does (or could).
    case allow(StatementRef)
    /// A Deny statement applies: it wins over any Allow.
    case explicitDeny(StatementRef)
    /// No statement allows the request.
    case implicitDeny
    /// The outcome depends on something not known (a condition key, the resource): the statement and why.
    case conditional(StatementRef, String)

    /// True for `.allow`.
    public var isAllowed: Bool { if case .allow = self { return true } else { return false } }
}

/// Evaluates identity-based policies (statements with `Principal` — trust/resource policies — and statements
/// without `Resource`/`NotResource` are ignored). Permissions boundaries, SCPs and session policies are not modelled.
public struct Evaluator: Sendable {
    public let policies: PolicySet

    public init(policies: PolicySet) { self.policies = policies }

    /// Decides one request. `resource` nil means the resource is not known: statements restricted to specific
    /// resources then yield `.conditional`.
    public func evaluate(action: IAMAction, resource: String?, context: RequestContext) -> Decision {
        var allow: StatementRef?
        var maybeAllow: (StatementRef, String)?
        var maybeDeny: (StatementRef, String)?
        for (document, statement) in policies.statements {
            guard !statement.hasPrincipal, Evaluator.actionMatches(statement.action, action) else { continue }
            let result = Evaluator.applies(statement, resource: resource, context: context)
            let ref = document.ref(statement)
            switch (statement.effect, result) {
            case (.deny, .satisfied): return .explicitDeny(ref)
            case (.deny, .unknown(let why)): if maybeDeny == nil { maybeDeny = (ref, why) }
            case (.allow, .satisfied): if allow == nil { allow = ref }
            case (.allow, .unknown(let why)): if maybeAllow == nil { maybeAllow = (ref, why) }
            default: break
            }
        }
        if let allow {
            if let (ref, why) = maybeDeny { return .conditional(ref, "allowed by \(allow), but a Deny may apply: \(why)") }
            return .allow(allow)
        }
        if let (ref, why) = maybeAllow {
            return .conditional(ref, why)
        }
        return .implicitDeny
    }

    /// True when the statement's Action/NotAction covers the action.
    public static func actionMatches(_ spec: ActionSpec, _ action: IAMAction) -> Bool {
        switch spec {
        case .actions(let patterns): return patterns.contains { ActionCatalogue.action(action, matches: $0) }
        case .notActions(let patterns): return !patterns.contains { ActionCatalogue.action(action, matches: $0) }
        }
    }

    /// Whether the statement's resource and conditions hold for the request.
    public static func applies(_ statement: Statement, resource: String?, context: RequestContext) -> ConditionResult {
        let resourceResult = resourceMatches(statement.resource, resource)
        if resourceResult == .notSatisfied { return .notSatisfied }
        var unknown: String?
        if case .unknown(let why) = resourceResult { unknown = why }
        for clause in statement.conditions {
            switch clause.evaluate(in: context) {
            case .notSatisfied: return .notSatisfied
            case .unknown(let why): if unknown == nil { unknown = why }
            case .satisfied: break
            }
        }
        return unknown.map { .unknown($0) } ?? .satisfied
    }

    /// Resource/NotResource test. ARNs match case-sensitively with `*`/`?` wildcards; policy variables
    /// (`${aws:username}`) make the result unknown.
    public static func resourceMatches(_ spec: ResourceSpec, _ resource: String?) -> ConditionResult {
        let patterns: [String]
        let negated: Bool
        switch spec {
        case .unspecified: return .notSatisfied
        case .resources(let p): patterns = p; negated = false
        case .notResources(let p): patterns = p; negated = true
        }
        guard let resource else {
            if !negated && patterns.contains("*") { return .satisfied }
            if negated && patterns.contains("*") { return .notSatisfied }
            return .unknown("the resource is not known and the statement names specific resources")
        }
        var variable = false
        var hit = false
        for p in patterns {
            if p.contains("${") && !p.contains("${*}") && !p.contains("${?}") && !p.contains("${$}") { variable = true; continue }
            let literal = p.replacingOccurrences(of: "${*}", with: "\u{1}").replacingOccurrences(of: "${?}", with: "\u{2}")
                .replacingOccurrences(of: "${$}", with: "$")
            if literal.contains("\u{1}") || literal.contains("\u{2}") {
                // Escaped literal * or ?: compare exactly after unescaping (rare).
                let exact = literal.replacingOccurrences(of: "\u{1}", with: "*").replacingOccurrences(of: "\u{2}", with: "?")
                if exact == resource { hit = true; break }
                continue
            }
            if Glob.matches(literal, resource) { hit = true; break }
        }
        if !hit && variable { return .unknown("a resource uses a policy variable") }
        return (hit != negated) ? .satisfied : .notSatisfied
    }
}
