/// Push-down of an `EventQuery` below decoding: byte-level needles searched in the raw record, and cheap checks
/// on the peeked top-level fields. Both are necessary conditions only: a record that passes is still checked
/// in full by `EventMatcher.matches`.
extension EventQuery {
    /// Groups of byte strings: a record can match only if, for every group, it contains at least one of the
    /// group's strings. Built from the filters whose values are certain to appear verbatim in the record:
    /// `contains` (always), IPv4 addresses and blocks (their leading whole octets, e.g. `203.0.113.` for a
    /// /24), access keys and principal patterns (their longest piece that JSON cannot escape, at least 3
    /// bytes), account ids, regions, and `"errorCode"` (or a response's `"statusCode"`/`"error"`, or a sign-in's `"Failure"`) for `errorsOnly`/`deniedOnly`. A filter with a value
    /// that yields no usable string adds no group.
    public var rawNeedles: [[[UInt8]]] {
        var groups: [[[UInt8]]] = []
        func add(_ values: [String?]) {
            guard !values.isEmpty else { return }
            var group: [[UInt8]] = []
            for v in values {
                guard let v else { return }
                let bytes = Array(v.utf8)
                if !group.contains(bytes) { group.append(bytes) }
            }
            groups.append(group)
        }
        if !contains.isEmpty { add(contains) }
        if !networks.isEmpty { add(networks.map(EventQuery.ipNeedle)) }
        if !accessKeys.isEmpty { add(accessKeys.map { ByteSearch.longestStablePiece(of: $0.pattern) }) }
        if !principals.isEmpty { add(principals.map { EventQuery.principalNeedle($0.pattern) }) }
        if !accounts.isEmpty {
            add(accounts.sorted().map { ByteSearch.isJSONStable($0) && !$0.isEmpty ? $0 : nil })
        }
        if !regions.isEmpty {
            add(regions.sorted().map { ByteSearch.isJSONStable($0) && !$0.isEmpty ? $0 : nil })
        }
        // (A data event may fail in its response only, and so may a sign-in event: `CloudTrailRecord.failureCode`.)
        if deniedOnly { add(["\"errorCode\"", "\"statusCode\"", "\"error\""]) }
        else if errorsOnly { add(["\"errorCode\"", "\"statusCode\"", "\"error\"", "\"Failure\""]) }
        return groups
    }

    /// A piece of a principal pattern that any record it matches must contain verbatim: the longest run without
    /// wildcards, `:` or characters JSON may escape (so it lies inside one component of whichever name matched).
    /// Names are verbatim from the record except the derived role ARN (`arn:aws:iam::A:role/N`) and synthetic
    /// `service:`/`account:` keys, so a piece that could come from their inserted words is not used.
    static func principalNeedle(_ pattern: String) -> String? {
        var best = ""
        for piece in pattern.split(separator: ":") {
            if let p = ByteSearch.longestStablePiece(of: String(piece)), p.utf8.count > best.utf8.count { best = p }
        }
        if best.utf8.count < 3 { return nil }
        if ["iam", "role", "service", "account"].contains(where: { $0.contains(best) }) { return nil }
        return best
    }

    /// The text every IPv4 address in `block` starts with when written in dotted decimal (`203.0.113.` for
    /// `/24`, the full address for `/32`); nil for IPv6 (written in several forms) and blocks shorter than /8.
    static func ipNeedle(_ block: CIDR) -> String? {
        guard case .v4(let v) = block.address else { return nil }
        let octets = [v >> 24, (v >> 16) & 0xFF, (v >> 8) & 0xFF, v & 0xFF].map { String($0) }
        let whole = block.prefixLength / 8
        if whole == 4 { return "\"" + octets.joined(separator: ".") + "\"" }
        if whole == 0 { return nil }
        return "\"" + octets[0..<whole].joined(separator: ".") + "."
    }

    /// A byte-level prefilter for `RecordStream.Options.rawPrefilter`, or nil when the query has no needle.
    public func makeRawPrefilter() -> (@Sendable (UnsafeRawBufferPointer) -> Bool)? {
        let groups = rawNeedles
        if groups.isEmpty { return nil }
        return { bytes in
            for group in groups {
                var found = false
                for needle in group where ByteSearch.contains(bytes, needle) { found = true; break }
                if !found { return false }
            }
            return true
        }
    }

    /// A prefilter on peeked fields (time range, eventSource, eventName, errors, denials, access key), or nil when
    /// none of those filters is set.
    public func makePeekPrefilter() -> (@Sendable (PeekedFields) -> Bool)? {
        let q = self
        let timed = since != nil || until != nil
        guard timed || !eventSources.isEmpty || !eventNames.isEmpty || errorsOnly || deniedOnly || !accessKeys.isEmpty
        else { return nil }
        return { peek in
            if timed {
                guard let t = peek.eventTime else { return false }
                if let s = q.since, t < s { return false }
                if let u = q.until, t > u { return false }
            }
            if !q.eventSources.isEmpty {
                let source = peek.eventSource
                guard q.eventSources.contains(where: { $0.matches(source) }) else { return false }
            }
            if !q.eventNames.isEmpty {
                let name = peek.eventName
                guard q.eventNames.contains(where: { $0.matches(name) }) else { return false }
            }
            if q.errorsOnly || q.deniedOnly {
                // Without an errorCode only a data event's response can say it failed (decoded and checked in full).
                guard let code = peek.errorCode, !code.isEmpty else { return peek.fields.responseElements.isSet }
                if q.deniedOnly && !CloudTrailRecord.isDenialCode(code, message: peek.errorMessage) { return false }
            }
            if !q.accessKeys.isEmpty {
                guard let key = peek.accessKeyId, q.accessKeys.contains(where: { $0.matches(key) }) else { return false }
            }
            return true
        }
    }
}
