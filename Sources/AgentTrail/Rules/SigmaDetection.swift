import Foundation
import Synchronization

/// How one value of a detection item is compared with a record's leaf values (Sigma specification v2,
/// "Value modifiers").
enum SigmaValueMatcher: @unchecked Sendable {
    /// A string with wildcards (plain values, `contains`, `startswith`, `endswith`, `base64`, `base64offset`).
    case pattern(SigmaPattern)
    /// `re`: a regular expression searched in the text (not anchored); `glob` is the same test as a wildcard pattern
    /// when the expression is one in disguise (`SigmaRegexGlob`), used for text without line breaks.
    case regex(NSRegularExpression, glob: SigmaPattern?)
    /// `cidr`: the leaf is an IP address inside the network.
    case cidr(CIDR)
    /// `gt`, `gte`, `lt`, `lte`: numeric comparison.
    case compare(SigmaComparisonOperator, Double)
    /// `null`: the field is missing or JSON null.
    case null
    /// `exists`: the field is present (true) or absent (false).
    case exists(Bool)
    /// `fieldref`: equal to a leaf of another field.
    case fieldRef(SigmaFieldPath, cased: Bool)
}

/// One `field|modifiers: values` entry of a selection (a keyword list when `field` is nil). A class: evaluation
/// borrows it, never copies its arrays.
final class SigmaDetectionItem: Sendable {
    let field: SigmaFieldPath?
    let values: [SigmaValueMatcher]
    /// `all`: every value must match (else any).
    let all: Bool
    /// A process-wide number of this item (an index into per-worker tables such as `SigmaRecord.identitySlots`).
    let number: Int
    /// The `RecordFields` index of the item's field when the item's result is a function of that top-level value's
    /// raw bytes alone (a one-component path other than `userIdentity`, no field reference), else -1: its results
    /// are then kept per distinct value (`SigmaRecord.memoised`).
    let topValueField: Int

    init(field: SigmaFieldPath?, values: [SigmaValueMatcher], all: Bool) {
        self.field = field
        self.values = values
        self.all = all
        number = SigmaDetectionItem.count.wrappingAdd(1, ordering: .relaxed).oldValue
        let refers = values.contains { if case .fieldRef = $0 { return true } else { return false } }
        if let field, field.components.count == 1, let top = field.topField, top != SigmaDetectionItem.identityField, !refers {
            topValueField = top
        } else {
            topValueField = -1
        }
    }

    /// For an item whose values are all wildcard patterns: the text lengths (bytes) it can match, from its
    /// patterns' `lengthBounds` (any one of them; all of them with `all`). A top-level string of another length
    /// fails the item without evaluating it (`SigmaRecord.lengthRejects`). Nil for other items.
    var lengthBounds: (min: Int, max: Int)? {
        guard field != nil, !values.isEmpty else { return nil }
        var bounds: [(min: Int, max: Int)] = []
        for v in values {
            guard case .pattern(let p) = v else { return nil }
            bounds.append(p.lengthBounds)
        }
        if all { return (bounds.map(\.min).max()!, bounds.map(\.max).min()!) }
        return (bounds.map(\.min).min()!, bounds.map(\.max).max()!)
    }

    static let identityField = RecordFields.names.firstIndex(of: "userIdentity")

    private static let count = Atomic<Int>(0)
}

/// A named search identifier of a rule's `detection`: a map (AND of its items) or a list of maps (OR of them).
/// A keyword list is one map with one field-less item.
struct SigmaSelection: Sendable {
    var name: String
    var alternatives: [[SigmaDetectionItem]]
}

/// A parsed `condition`.
indirect enum SigmaCondition: Sendable {
    case selection(Int)
    case and([SigmaCondition])
    case or([SigmaCondition])
    case not(SigmaCondition)
    /// `N of pattern` (N ≥ 1) over the selections it names; `all` is `.allOf`.
    case atLeast(Int, [Int])
    case allOf([Int])
}

/// The compiled detection of one rule: selections and the condition over them.
struct SigmaDetection: Sendable {
    var selections: [SigmaSelection]
    var condition: SigmaCondition

    /// The items that read only `userIdentity` (field references inside it too): their results can be kept per
    /// distinct `userIdentity` object (`SigmaRecord.identityMemoised`).
    var identityOnlyItems: [SigmaDetectionItem] {
        let identity = RecordFields.names.firstIndex(of: "userIdentity")
        var out: [SigmaDetectionItem] = []
        for s in selections {
            for alt in s.alternatives {
                for item in alt {
                    guard let f = item.field, f.topField == identity else { continue }
                    let refsInside = item.values.allSatisfy { v in
                        if case .fieldRef(let o, _) = v { return o.topField == identity }
                        return true
                    }
                    if refsInside { out.append(item) }
                }
            }
        }
        return out
    }

    /// A condition tested before the rule's own, from per-worker memos (`SigmaRecord.memoised`): a record matches
    /// only if every one of `items` holds. When `exact`, the condition is also sufficient: the rule is the AND of
    /// `items`, each of which reads only `userIdentity` or one top-level value, and its condition is never walked.
    /// So a rule such as "an assumed-role session", "the root user" or "this user agent" is decided for most records
    /// by a memo lookup or a few bit tests.
    struct Gate {
        var items: [SigmaDetectionItem] = []
        var exact = false
    }

    /// The rule's gate. When the condition ANDs single-alternative selections (`and`, `all of`, `1 of` a single
    /// selection) whose items are all memoisable, the gate is those items, exactly. Otherwise it is the identity-only
    /// items of the selections the condition ANDs together (a necessary condition; `or` and `not` contribute nothing).
    var gate: Gate {
        let identity = Set(identityOnlyItems.map(\.number))
        /// The selections `c` ANDs together, and whether `c` is exactly their AND.
        func conjunction(_ c: SigmaCondition) -> (selections: [SigmaSelection], complete: Bool) {
            switch c {
            case .selection(let i): return ([selections[i]], true)
            case .and(let cs):
                var out: [SigmaSelection] = [], complete = true
                for x in cs {
                    let more = conjunction(x)
                    out += more.selections
                    complete = complete && more.complete
                }
                return (out, complete)
            case .allOf(let ids): return (ids.map { selections[$0] }, true)
            case .atLeast(let k, let ids) where k == 1 && ids.count == 1: return ([selections[ids[0]]], true)
            case .atLeast, .or, .not: return ([], false)
            }
        }
        var items: [SigmaDetectionItem] = []
        func add(_ item: SigmaDetectionItem) { if !items.contains(where: { $0 === item }) { items.append(item) } }
        let (sels, complete) = conjunction(condition)
        var exact = complete && !sels.isEmpty
        for sel in sels {
            // (A selection of several alternatives is an OR: none of its items is necessary.)
            guard sel.alternatives.count == 1, let alt = sel.alternatives.first else { exact = false; continue }
            for item in alt {
                if identity.contains(item.number) || item.topValueField >= 0 { add(item) } else { exact = false }
            }
        }
        if exact, !items.isEmpty { return Gate(items: items, exact: true) }
        return Gate(items: items.filter { identity.contains($0.number) }, exact: false)
    }

    func matches(_ r: SigmaRecord) -> Bool {
        // Each selection is evaluated at most once per record (bits: known, value); beyond 64 selections, afresh.
        var memo = SelectionMemo()
        return eval(condition, r, &memo)
    }

    /// Which selections have been evaluated for the record, and to what.
    struct SelectionMemo {
        var known: UInt64 = 0
        var value: UInt64 = 0
    }

    private func eval(_ c: SigmaCondition, _ r: SigmaRecord, _ memo: inout SelectionMemo) -> Bool {
        switch c {
        case .selection(let i): return selection(i, r, &memo)
        case .and(let cs): for x in cs where !eval(x, r, &memo) { return false }; return true
        case .or(let cs): for x in cs where eval(x, r, &memo) { return true }; return false
        case .not(let x): return !eval(x, r, &memo)
        case .atLeast(let k, let ids):
            var n = 0
            for i in ids where selection(i, r, &memo) { n += 1; if n >= k { return true } }
            return false
        case .allOf(let ids):
            for i in ids where !selection(i, r, &memo) { return false }
            return true
        }
    }

    private func selection(_ i: Int, _ r: SigmaRecord, _ memo: inout SelectionMemo) -> Bool {
        let bit: UInt64 = i < 64 ? 1 << UInt64(i) : 0
        if memo.known & bit != 0 { return memo.value & bit != 0 }
        var hit = false
        for items in selections[i].alternatives {
            var all = true
            for item in items where !r.memoised(item, { SigmaDetection.item(item, r) }) { all = false; break }
            if all { hit = true; break }
        }
        memo.known |= bit
        if hit { memo.value |= bit }
        return hit
    }

    static func item(_ item: SigmaDetectionItem, _ r: SigmaRecord) -> Bool {
        if item.all {
            return item.values.allSatisfy { value($0, field: item.field, r) }
        }
        return item.values.contains { value($0, field: item.field, r) }
    }

    private static func value(_ m: SigmaValueMatcher, field: SigmaFieldPath?, _ r: SigmaRecord) -> Bool {
        guard let field else {
            // Keywords: any leaf of the record.
            return r.allLeaves { leaf($0, m, r) }
        }
        switch m {
        case .null:
            var found = false
            let null = r.values(field) { v in
                found = true
                return r.kind(v) == .null
            }
            return null || !found
        case .exists(let want):
            return r.values(field) { _ in true } == want
        default:
            return r.values(field) { v in r.leaves(of: v) { leaf($0, m, r) } }
        }
    }

    /// One leaf against one value.
    private static func leaf(_ v: ByteSpan, _ m: SigmaValueMatcher, _ r: SigmaRecord) -> Bool {
        switch m {
        case .pattern(let p):
            return r.withText(v) { p.matches($0) } ?? false
        case .regex(let re, let glob):
            // (The pattern stands for the expression on printable ASCII text: no line terminator, no case folding
            // beyond ASCII.)
            if let glob, let hit = r.withText(v, { t -> Bool? in
                for b in t where b < 0x20 || b > 0x7E { return nil }
                return glob.matches(t)
            }), let hit { return hit }
            func search() -> Bool {
                guard let text = r.text(v) else { return false }
                return re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            }
            // (Long values are searched afresh: the memo keeps their bytes.)
            guard v.end - v.start <= SigmaRecord.maxMemoisedValue else { return search() }
            let tag = UInt64(UInt(bitPattern: ObjectIdentifier(re).hashValue))
            return r.regexResults.lookup(r.p, v.start, v.end, tag: tag, search).value
        case .cidr(let net):
            return r.withText(v) { IPAddress.parse($0).map { net.contains($0) } ?? false } ?? false
        case .compare(let op, let bound):
            guard let text = r.text(v), let x = Double(text.trimmingCharacters(in: .whitespaces)), x.isFinite else { return false }
            return op.holds(x, bound)
        case .null:
            return r.kind(v) == .null
        case .exists:
            return true
        case .fieldRef(let other, let cased):
            guard let mine = r.text(v) else { return false }
            let pattern = SigmaPattern.literal(mine, cased: cased)
            return r.values(other) { o in r.leaves(of: o) { ol in r.withText(ol) { pattern.matches($0) } ?? false } }
        }
    }
}
