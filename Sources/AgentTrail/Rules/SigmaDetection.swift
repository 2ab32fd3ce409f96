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

    init(field: SigmaFieldPath?, values: [SigmaValueMatcher], all: Bool) {
        self.field = field
        self.values = values
        self.all = all
        number = SigmaDetectionItem.count.wrappingAdd(1, ordering: .relaxed).oldValue
    }

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
            for item in items where !r.identityMemoised(item, { SigmaDetection.item(item, r) }) { all = false; break }
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
            let tag = UInt64(UInt(bitPattern: ObjectIdentifier(re).hashValue))
            return r.regexResults.lookup(r.p, v.start, v.end, tag: tag) {
                guard let text = r.text(v) else { return false }
                return re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            }.value
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
