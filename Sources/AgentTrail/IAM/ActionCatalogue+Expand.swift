extension ActionCatalogue {
    /// Expands an `Action`/`NotAction` pattern (`bedrock-agentcore:*`, `bedrock:Invoke*`, `s3:Get?bject`, `*`)
    /// to the catalogue actions it matches, case-insensitively, sorted, with canonical spelling.
    /// A pattern without a colon (other than `*`) matches nothing.
    public func expand(pattern: String) -> [IAMAction] {
        if pattern.trimmingASCIIWhitespace == "*" { return allActions }
        return expandUnordered(pattern: pattern).sorted()
    }

    /// `expand(pattern:)` in no particular order (for filling sets and dictionaries: no sort of the catalogue).
    public func expandUnordered(pattern: String) -> [IAMAction] {
        let trimmed = pattern.trimmingASCIIWhitespace
        if trimmed == "*" { return unorderedActions }
        guard let colon = trimmed.firstIndex(of: ":") else { return [] }
        let prefixPattern = String(trimmed[..<colon])
        let namePattern = String(trimmed[trimmed.index(after: colon)...])
        let services: [ServiceInfo]
        if Glob.hasWildcard(prefixPattern) {
            services = servicesByKey.values.filter { Glob.matches(prefixPattern, $0.prefix, caseInsensitive: true) }
        } else if let service = service(prefix: prefixPattern) {
            services = [service]
        } else {
            return []
        }
        var result = [IAMAction]()
        if !Glob.hasWildcard(namePattern) {
            for service in services {
                if let found = action(named: IAMAction(prefix: service.prefix, name: namePattern)) { result.append(found.action) }
            }
            return result
        }
        let pattern = Glob(namePattern, caseInsensitive: true)
        for service in services {
            for info in service.actions where pattern.matches(info.action.name) {
                result.append(info.action)
            }
        }
        return result
    }

    /// Every catalogue action in no particular order.
    public var unorderedActions: [IAMAction] {
        var out: [IAMAction] = []
        out.reserveCapacity(actionCount)
        forEachAction { out.append($0) }
        return out
    }

    /// Gives every catalogue action to `body`, in the order of `unorderedActions`, without making the array.
    func forEachAction(_ body: (IAMAction) -> Void) {
        // (The action alone: `info(_:)` copied the whole `ActionInfo`, its resource list included, per action.)
        actionIndex.forEachLocation { body(action(at: $0)) }
    }

    /// True when `action` matches an IAM action pattern (case-insensitive), whether or not the catalogue knows it.
    public static func action(_ action: IAMAction, matches pattern: String) -> Bool {
        // (On the bytes in place, as written, when the pattern neither starts nor ends with white space — then trimming
        // would leave it as it is: a review and the policy checks ask this per record and statement, and trimming
        // compared `Character`s.)
        let plain = StringBytes.withUTF8(pattern) { p -> Bool? in
            guard let first = p.first, let last = p.last, !isASCIIWhitespace(first), !isASCIIWhitespace(last) else { return nil }
            if p.count == 1 && first == Glob.star { return true }
            return StringBytes.withUTF8(action.description) { Glob.matches(pattern: p, text: $0, caseInsensitive: true) }
        }
        if let plain { return plain }
        let p = pattern.trimmingASCIIWhitespace
        if p == "*" { return true }
        return StringBytes.withUTF8(p) { pattern in
            StringBytes.withUTF8(action.description) { Glob.matches(pattern: pattern, text: $0, caseInsensitive: true) }
        }
    }

    /// The bytes `trimmingASCIIWhitespace` removes: space, tab, line feed, carriage return.
    @inline(__always)
    private static func isASCIIWhitespace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    /// Every catalogue action, sorted: made on first use (a `*` pattern or a `NotAction` asks for it) and kept.
    public var allActions: [IAMAction] {
        sortedActions.withLock { kept in
            if let kept { return kept }
            let made = unorderedActions.sorted()
            kept = made
            return made
        }
    }
}
