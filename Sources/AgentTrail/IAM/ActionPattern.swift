/// An `Action`/`NotAction` pattern (`bedrock:Invoke*`, `*`) compiled once, for testing many actions: the same answer as
/// `ActionCatalogue.action(_:matches:)` without building a matcher per test.
public struct ActionPattern: Sendable {
    private let any: Bool
    private let glob: Glob
    /// `service:` in ASCII lowercase when the pattern starts with a service prefix without wildcards (`s3:Get*`):
    /// only actions whose key starts with it can match (the glob's literal bytes must meet the text's first bytes,
    /// ASCII letters folded, and an action's key is its description lowercased), so the others are answered
    /// without running the glob. Nil for `*`, `s3*:Get`, `?3:Get`, a pattern without a colon or with non-ASCII bytes
    /// before it.
    let servicePrefix: [UInt8]?

    public init(_ pattern: String) {
        let p = pattern.trimmingASCIIWhitespace
        any = p == "*"
        glob = Glob(String(p), caseInsensitive: true)
        let bytes = Array(p.utf8)
        if let colon = bytes.firstIndex(of: UInt8(ascii: ":")) {
            servicePrefix = ActionPattern.keyPrefix(ofService: bytes[..<colon])
        } else {
            servicePrefix = nil
        }
    }

    /// `service:` with ASCII letters folded, the first bytes of every key of that service's actions, for a service
    /// part that is plain ASCII (no `*`, `?` or `:`, not empty); nil otherwise. The one rule both for a pattern's
    /// service part (`servicePrefix`) and for the catalogue's services (`ActionCatalogue.forEachAction(matchingNoneOf:)`).
    static func keyPrefix(ofService service: some Collection<UInt8>) -> [UInt8]? {
        guard !service.isEmpty,
              !service.contains(where: { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: ":") || $0 >= 0x80 })
        else { return nil }
        return service.map(Glob.lower) + [UInt8(ascii: ":")]
    }

    public func matches(_ action: IAMAction) -> Bool {
        if any { return true }
        if let servicePrefix, !action.keyHasPrefix(servicePrefix) { return false }
        return action.matches(caseInsensitive: glob)
    }
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
