/// Shared state of the "new term" detectors (`new-region`, `new-model`): per principal and term (region,
/// model id) an `ActionTally`, plus each principal's first activity. "Known vs new" is decided only when
/// findings are made, from `RunFacts.baselineEnd` or a stored baseline, so merging stays order-independent.
struct NewTermTracker: Sendable, Codable {
    struct Key: Hashable, Sendable, Codable {
        var principal: HashedString
        /// (Hashed once per distinct term met in a row, `add`: the key is looked up per record. Coded as a string.)
        var term: HashedString

        @inline(__always)
        func _rawHashValue(seed: Int) -> Int {
            PrehashedMix.mix(principal.hash, UInt64(truncatingIfNeeded: term.hash), seed: seed)
        }

        /// The hash `PositionTable` is given.
        @inline(__always)
        var tableHash: Int { _rawHashValue(seed: 0) }
    }

    /// One term that is new for its principal.
    struct NewTerm {
        var principal: String
        var term: String
        var stats: ActionTally
        var source: BaselineSource
    }

    /// The calls per principal and term (held by position: `add` finds a repeated key without a dictionary lookup).
    var terms = PositionTable<Key, ActionTally>()
    var byTerm: [Key: ActionTally] { terms.dictionary }
    var principalFirstSeen = FirstSeenMap<HashedString>()
    /// The last term added, hashed (a principal's records mostly repeat their region or model).
    private var lastTerm = HashedString("")

    private enum CodingKeys: String, CodingKey { case byTerm, principalFirstSeen }

    init() {}

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        terms = PositionTable(try c.decode([Key: ActionTally].self, forKey: .byTerm))
        principalFirstSeen = try c.decode(FirstSeenMap<HashedString>.self, forKey: .principalFirstSeen)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(byTerm, forKey: .byTerm)
        try c.encode(principalFirstSeen, forKey: .principalFirstSeen)
    }

    /// Records any activity of a principal (its first activity decides whether it has a learned baseline).
    mutating func noteActivity(_ event: ObservedRecord) {
        principalFirstSeen.note(event.hashedPrincipalKey, event.record.eventTime)
    }

    mutating func add(_ event: ObservedRecord, term: String) {
        if term != lastTerm.string { lastTerm = HashedString(term) }
        let key = Key(principal: event.hashedPrincipalKey, term: lastTerm)
        terms.values[terms.position(of: key, hash: key.tableHash) { ActionTally() }].add(event)
    }

    mutating func merge(_ other: NewTermTracker) {
        terms.merge(other.terms, hash: \.tableHash, make: { ActionTally() }, combine: { $0.merge($1) })
        principalFirstSeen.merge(other.principalFirstSeen)
    }

    /// Terms that are new: absent from the principal's stored baseline (`known`), or, when learned, first seen
    /// at or after the cut (terms without any timed event are not judged). Principals without a baseline
    /// (`BaselineSource.none`) yield nothing.
    func newTerms(facts: RunFacts, stored: (any StoredBaselines)?,
                  known: (PrincipalBaseline, String) -> Bool) -> [NewTerm] {
        var sources: [HashedString: BaselineSource] = [:]
        var out: [NewTerm] = []
        for (k, stats) in zip(terms.keys, terms.values) {
            let source: BaselineSource
            if let s = sources[k.principal] { source = s } else {
                source = BaselineSource.resolve(principal: k.principal.string, stored: stored,
                                                principalFirstSeen: principalFirstSeen[k.principal],
                                                baselineEnd: facts.baselineEnd)
                sources[k.principal] = source
            }
            switch source {
            case .none: continue
            case .stored(let b): if known(b, k.term.string) { continue }
            case .learned(let end):
                guard let first = stats.tally.firstSeen, first >= end else { continue }
            }
            out.append(NewTerm(principal: k.principal.string, term: k.term.string, stats: stats, source: source))
        }
        return out
    }
}

extension NewTermTracker {
    /// What a new term was compared against, for `details["comparedAgainst"]`: the principal's known terms (stored,
    /// or first used before the cut), at most `limit` of them.
    func comparedAgainst(_ t: NewTerm, noun: String, stored: (PrincipalBaseline) -> Set<String>, limit: Int = 12) -> String {
        let known: [String]
        let label: String
        switch t.source {
        case .stored(let b):
            known = stored(b).sorted()
            label = "\(noun) in the stored baseline"
        case .learned(let end):
            known = zip(terms.keys, terms.values).compactMap { k, v in
                k.principal.string == t.principal && (v.tally.firstSeen.map { $0 < end } ?? false) ? k.term.string : nil
            }.sorted()
            label = "\(noun) used before \(end.iso8601)"
        case .none:
            return "no baseline"
        }
        let shown = known.prefix(limit).joined(separator: ", ")
        return "\(label): " + (known.isEmpty ? "none" : shown + (known.count > limit ? " +\(known.count - limit) more" : ""))
    }
}

extension BaselineSource {
    /// A short phrase for finding details: why the term counts as new.
    var newTermReason: String {
        switch self {
        case .stored: return "absent from the stored baseline"
        case .learned(let end): return "first used after the learning period ending \(end.iso8601)"
        case .none: return ""
        }
    }
}
