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
        func ref(_ at: StatementIndex) -> StatementRef {
            policies.documents[at.document].ref(policies.documents[at.document].statements[at.statement])
        }
        let found = statementsDeciding(action: action, resource: resource, context: context)
        if let deny = found.deny { return .explicitDeny(ref(deny)) }
        if let allow = found.allow {
            if let (at, why) = found.maybeDeny { return .conditional(ref(at), "allowed by \(ref(allow)), but a Deny may apply: \(why)") }
            return .allow(ref(allow))
        }
        if let (at, why) = found.maybeAllow { return .conditional(ref(at), why) }
        return .implicitDeny
    }

    /// Which of the four `evaluate`'s decision is, without the statements that make it (no `StatementRef` made): for
    /// counting decisions per record and action, as a review does.
    public func outcome(action: IAMAction, resource: String?, context: RequestContext) -> ResourceApplicability.Outcome {
        statementsDeciding(action: action, resource: resource, context: context).outcome
    }

    /// The identity statements (no `Principal`) whose `Action`/`NotAction` covers one action, in policy order: all a
    /// decision about that action reads. Made once per action by a caller that decides it many times (a review, per
    /// record), so that each decision tests only these statements' resources and conditions.
    public struct Covering: Sendable {
        fileprivate let statements: [StatementIndex]
    }

    /// The statements covering `action` (`Covering`).
    public func covering(_ action: IAMAction) -> Covering {
        var found: [StatementIndex] = []
        forEachStatement(covering: action) { at, _ in found.append(at); return false }
        return Covering(statements: found)
    }

    /// `outcome(action:resource:context:)` for the action `covering` was made for.
    public func outcome(of covering: Covering, resource: String?, context: RequestContext) -> ResourceApplicability.Outcome {
        var found = Deciding()
        for at in covering.statements {
            if Evaluator.fold(at, policies.documents[at.document].statements[at.statement], resource: resource, context: context,
                              into: &found) { break }
        }
        return found.outcome
    }

    /// Where a statement is in `policies`.
    fileprivate struct StatementIndex: Sendable { var document: Int; var statement: Int }

    /// The statements that decide a request: the first Deny that applies (then nothing else is looked for), the first
    /// Allow that applies, and the first Allow and Deny that may apply, with why.
    private struct Deciding {
        var deny: StatementIndex?
        var allow: StatementIndex?
        var maybeAllow: (StatementIndex, String)?
        var maybeDeny: (StatementIndex, String)?

        var outcome: ResourceApplicability.Outcome {
            if deny != nil { return .explicitDeny }
            if allow != nil { return maybeDeny == nil ? .allow : .conditional }
            return maybeAllow != nil ? .conditional : .implicitDeny
        }
    }

    private func statementsDeciding(action: IAMAction, resource: String?, context: RequestContext) -> Deciding {
        var found = Deciding()
        forEachStatement(covering: action) { at, statement in
            Evaluator.fold(at, statement, resource: resource, context: context, into: &found)
        }
        return found
    }

    /// Calls `body` with each identity statement (no `Principal`) whose `Action`/`NotAction` covers `action`, in policy
    /// order, until it returns true. (The documents' statements read in place, and references made only for the
    /// statements kept: a review evaluates per record and action, and `PolicySet.statements` built an array of every
    /// pair, and a reference for every statement of the action, each time.)
    @inline(__always)
    private func forEachStatement(covering action: IAMAction, _ body: (StatementIndex, Statement) -> Bool) {
        for d in policies.documents.indices {
            let statements = policies.documents[d].statements
            for i in statements.indices where !statements[i].hasPrincipal && Evaluator.actionMatches(statements[i].action, action) {
                if body(StatementIndex(document: d, statement: i), statements[i]) { return }
            }
        }
    }

    /// Folds one statement covering the action into `found`; true when it decides the request (a Deny that applies).
    @inline(__always)
    private static func fold(_ at: StatementIndex, _ statement: Statement, resource: String?, context: RequestContext,
                             into found: inout Deciding) -> Bool {
        switch (statement.effect, Evaluator.applies(statement, resource: resource, context: context)) {
        case (.deny, .satisfied): found.deny = at; return true
        case (.deny, .unknown(let why)): if found.maybeDeny == nil { found.maybeDeny = (at, why) }
        case (.allow, .satisfied): if found.allow == nil { found.allow = at }
        case (.allow, .unknown(let why)): if found.maybeAllow == nil { found.maybeAllow = (at, why) }
        default: break
        }
        return false
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
            // (A pattern without `$` — and without the two control characters the escapes are replaced by below — has
            // no policy variable and no escape: matched on its bytes as it is. This runs per record and statement in a
            // review, and the Foundation searches and replacements below, made for every pattern, were two thirds of
            // a review's time.)
            if !StringBytes.withUTF8(p, { $0.contains { $0 == UInt8(ascii: "$") || $0 == 0x01 || $0 == 0x02 } }) {
                if Glob.matches(p, resource) { hit = true; break }
                continue
            }
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
