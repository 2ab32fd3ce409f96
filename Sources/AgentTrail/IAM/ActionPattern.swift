/// An `Action`/`NotAction` pattern (`bedrock:Invoke*`, `*`) compiled once, for testing many actions: the same answer as
/// `ActionCatalogue.action(_:matches:)` without building a matcher per test.
public struct ActionPattern: Sendable {
    private let any: Bool
    private let glob: Glob

    public init(_ pattern: String) {
        let p = pattern.trimmingASCIIWhitespace
        any = p == "*"
        glob = Glob(String(p), caseInsensitive: true)
    }

    public func matches(_ action: IAMAction) -> Bool { any || action.matches(caseInsensitive: glob) }
}

/// A statement's `Action` or `NotAction` compiled once: `Evaluator.actionMatches(_:_:)` for many actions.
public struct ActionSpecMatcher: Sendable {
    private let patterns: [ActionPattern]
    private let negated: Bool

    public init(_ spec: ActionSpec) {
        patterns = spec.patterns.map(ActionPattern.init)
        if case .notActions = spec { negated = true } else { negated = false }
    }

    public func matches(_ action: IAMAction) -> Bool {
        let hit = patterns.contains { $0.matches(action) }
        return negated ? !hit : hit
    }
}
