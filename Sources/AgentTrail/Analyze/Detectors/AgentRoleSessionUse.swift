extension AgentRoleOutsideRuntimeDetector {
    /// What one session key of a role did: counts, times, its earliest events, its actions and (at most `ipCap`, the
    /// smallest) addresses. Merging is associative and order-independent.
    ///
    /// One is kept for every session key of every assumed role (agent roles are only known at the end), so it is
    /// small: its actions are numbers of the accumulator's `ActionNumbers` with their counts packed in one word, not a
    /// dictionary of actions (~850 bytes a session for ten actions, now ~110).
    struct SessionUse {
        static let ipCap = 8
        static let evidenceCap = 5
        var count = 0
        var firstSeen: Instant?
        var lastSeen: Instant?
        var evidence: [EvidenceRef] = []
        /// Per action met: its number in the accumulator's `ActionNumbers` (high 32 bits) and its call count (low
        /// 32 bits, saturating at 2^32 - 1 calls of one action in one session), in the order first met; the first
        /// `inlineActions` searched in order, any further ones (a session calling dozens of distinct actions, or a
        /// hostile archive with thousands of made-up names) by number in `moreActions`, so a call costs no more than
        /// `inlineActions` comparisons and a lookup.
        var actions: [UInt64] = []
        var moreActions: [UInt32: UInt64]?
        var ips: [IPAddress] = []
        var moreIPs = false

        static let countBits: UInt64 = 32
        static let countMask: UInt64 = (1 << countBits) - 1
        static let inlineActions = 16

        mutating func add(_ event: ObservedRecord, action: UInt32, ip: IPAddress?) {
            count += 1
            if let t = event.record.eventTime {
                if firstSeen == nil || t < firstSeen! { firstSeen = t }
                if lastSeen == nil || t > lastSeen! { lastSeen = t }
            }
            // (The reference is built only when it is kept: the test reads the record's time, file and index.)
            if evidence.count < Self.evidenceCap
                || EvidenceRef.sorts(time: event.record.eventTime, file: event.file, index: event.index,
                                     before: evidence[evidence.count - 1]) {
                insert(event.evidenceRef)
            }
            addAction(action, 1)
            if let ip { addIP(ip) }
        }

        mutating func addAction(_ number: UInt32, _ n: UInt64) {
            let key = UInt64(number) << Self.countBits
            for i in actions.indices where actions[i] & ~Self.countMask == key {
                let sum = (actions[i] & Self.countMask) &+ n
                actions[i] = key | min(sum, Self.countMask)
                return
            }
            if actions.count < Self.inlineActions {
                actions.append(key | min(n, Self.countMask))
            } else {
                moreActions = moreActions ?? [:]
                let sum = moreActions![number, default: 0] &+ n
                moreActions![number] = min(sum, Self.countMask)
            }
        }

        /// Each action's number and count.
        func forEachAction(_ body: (UInt32, Int) -> Void) {
            for a in actions { body(UInt32(truncatingIfNeeded: a >> Self.countBits), Int(a & Self.countMask)) }
            for (number, n) in moreActions ?? [:] { body(number, Int(n)) }
        }

        private mutating func insert(_ ref: EvidenceRef) {
            if evidence.isEmpty { evidence.reserveCapacity(Self.evidenceCap + 1) }   // not 8 by doubling
            let i = evidence.firstIndex(where: { ref < $0 }) ?? evidence.count
            evidence.insert(ref, at: i)
            if evidence.count > Self.evidenceCap { evidence.removeLast() }
        }

        /// Keeps the `ipCap` smallest addresses, in order: `ip` goes where it sorts (no sort per new address).
        private mutating func addIP(_ ip: IPAddress) {
            var i = 0
            while i < ips.count {
                if ips[i] == ip { return }
                if SessionUse.ipOrder(ip, ips[i]) { break }
                i += 1
            }
            if i == Self.ipCap { moreIPs = true; return }
            ips.insert(ip, at: i)
            if ips.count > Self.ipCap { ips.removeLast(); moreIPs = true }
        }

        static func ipOrder(_ a: IPAddress, _ b: IPAddress) -> Bool {
            switch (a, b) {
            case (.v4(let x), .v4(let y)): return x < y
            case (.v4, .v6): return true
            case (.v6, .v4): return false
            case (.v6(let h1, let l1), .v6(let h2, let l2)): return h1 != h2 ? h1 < h2 : l1 < l2
            }
        }

        /// Merges `o`, whose action numbers `renumber` maps to this one's.
        mutating func merge(_ o: SessionUse, renumber: (UInt32) -> UInt32 = { $0 }) {
            count += o.count
            if let f = o.firstSeen, firstSeen == nil || f < firstSeen! { firstSeen = f }
            if let l = o.lastSeen, lastSeen == nil || l > lastSeen! { lastSeen = l }
            for r in o.evidence { insert(r) }
            o.forEachAction { number, n in addAction(renumber(number), UInt64(n)) }
            moreIPs = moreIPs || o.moreIPs
            for ip in o.ips { addIP(ip) }
        }
    }

    /// The role, session and last address of the principals met recently, found by the decoded principal's
    /// identity (`Principal.fieldsID`; the scan shares one principal among the records of one `userIdentity`, so
    /// one session's records find one entry). Exact: an entry is used only when the record's role key and access
    /// key equal the entry's (for copies of one principal, the same storage: a comparison of words), and what it
    /// holds depends on those alone; the identity only picks the slot. Direct-mapped, `size` entries.
    struct SessionMemo {
        static var size: Int { 1024 }
        private var ids = [ObjectIdentifier?](repeating: nil, count: SessionMemo.size)
        private var roles = [HashedString?](repeating: nil, count: SessionMemo.size)
        private var accessKeys = [String?](repeating: nil, count: SessionMemo.size)
        private var uses = [RoleUse?](repeating: nil, count: SessionMemo.size)
        /// The session's position in its role's use (-1: not a temporary key, no session).
        private var sessions = [Int](repeating: -1, count: SessionMemo.size)
        /// The last address met and its position in the role's use.
        private var ips = [IPAddress?](repeating: nil, count: SessionMemo.size)
        private var ipSlots = [Int](repeating: -1, count: SessionMemo.size)

        @inline(__always)
        static func slot(_ id: ObjectIdentifier) -> Int {
            // (The address's bits: fields are 16-byte aligned heap blocks.)
            let bits = UInt(bitPattern: id)
            return Int(truncatingIfNeeded: (bits &>> 4) ^ (bits &>> 12)) & (size &- 1)
        }

        /// The role's use and the session's position for exactly this role and access key, or nil.
        @inline(__always)
        func find(_ slot: Int, id: ObjectIdentifier, role: HashedString, accessKey: String?) -> (RoleUse, Int)? {
            guard ids[slot] == id, accessKeys[slot] == accessKey, roles[slot] == role, let use = uses[slot] else { return nil }
            return (use, sessions[slot])
        }

        @inline(__always)
        mutating func set(_ slot: Int, id: ObjectIdentifier, role: HashedString, accessKey: String?, use: RoleUse, session: Int) {
            ids[slot] = id
            roles[slot] = role
            accessKeys[slot] = accessKey
            uses[slot] = use
            sessions[slot] = session
            ips[slot] = nil
            ipSlots[slot] = -1
        }

        /// The position of `ip` in the role's use when the entry at `slot` last met it, or -1.
        @inline(__always)
        func ipSlot(_ slot: Int, _ ip: IPAddress) -> Int { ips[slot] == ip ? ipSlots[slot] : -1 }

        /// Records that the entry at `slot` last met `ip`, at `ipSlot` of its role's use.
        @inline(__always)
        mutating func noteIP(_ slot: Int, _ ip: IPAddress, _ ipSlot: Int) {
            ips[slot] = ip
            ipSlots[slot] = ipSlot
        }

        mutating func removeAll() { self = SessionMemo() }
    }

    /// The actions an accumulator's sessions met, numbered in the order first met (a session holds numbers, not
    /// actions).
    struct ActionNumbers {
        private var numbers: [ActionTally.Action: UInt32] = [:]
        private(set) var actions: [ActionTally.Action] = []
        /// The last action numbered (records of a role come in runs of the same call).
        private var last: (ActionTally.Action, UInt32)?
        /// The numbers by the worker's action number (an array lookup per record instead of a dictionary's).
        private var byID = ActionIDCache<UInt32>()

        /// The number of `event`'s action.
        @inline(__always)
        mutating func number(_ event: ObservedRecord) -> UInt32 {
            if let n = byID.value(event) { return n }
            let n = number(event.action)
            byID.set(event, n)
            return n
        }

        /// The number of `action`, given one when first met.
        mutating func number(_ action: ActionTally.Action) -> UInt32 {
            if let last, last.0 == action { return last.1 }
            let n: UInt32
            if let known = numbers[action] {
                n = known
            } else {
                n = UInt32(actions.count)
                numbers[action] = n
                actions.append(action)
            }
            last = (action, n)
            return n
        }

        /// Counts per action of `use`.
        func actionCounts(_ use: SessionUse) -> [ActionTally.Action: Int] {
            var out: [ActionTally.Action: Int] = [:]
            use.forEachAction { number, n in out[actions[Int(number)], default: 0] += n }
            return out
        }
    }
}

/// The partial-result form of a session (`PartialCoding`): actions by name, as before they were numbered, so stored
/// partials stay readable.
struct CodedSessionUse: Codable {
    var count: Int
    var firstSeen: Instant?
    var lastSeen: Instant?
    var evidence: [EvidenceRef]
    var actions: [ActionTally.Action: Int]
    var ips: [IPAddress]
    var moreIPs: Bool
}
