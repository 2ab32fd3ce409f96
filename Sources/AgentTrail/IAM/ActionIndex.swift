/// Where each catalogue action is, found by the action (case-insensitive, as `IAMAction` compares): an open-addressing
/// table of locations into the catalogue's service list, probed linearly from the action's stored hash and compared
/// against the action at the location. Eight bytes a slot and no key strings: a dictionary keyed by the lowercased
/// `prefix:name` held a second string per action (~1.7 MB for ~22,000 actions) and a larger table.
struct ActionIndex: Sendable {
    typealias Location = ActionCatalogue.ActionLocation
    private var slots: [Location]
    private let mask: Int
    /// Actions indexed (an action listed twice counts once; its later location wins, as a dictionary's assignment).
    private(set) var count = 0
    /// One bit per catalogue entry in load order (service by service, action by action): set for the entries the
    /// table holds (all but the earlier entries of an action listed twice). `forEachLocation` walks these, not the
    /// table: in load order the actions are met in the order their objects were allocated, while the table's order
    /// is the hashes' (each action a cache miss: walking the ~22,000 actions of a `NotAction` principal in table order
    /// was a third of its grants' derivation).
    private var held: [UInt64] = []
    /// Where each service's entries start in `held`.
    private var firstBit: [Int] = []

    private static let empty = Location(service: -1, action: -1)

    init(_ services: [ServiceInfo]) {
        let total = services.reduce(0) { $0 + $1.actions.count }
        var capacity = 16
        while capacity < total * 2 { capacity <<= 1 }
        slots = Array(repeating: Self.empty, count: capacity)
        mask = capacity - 1
        for (s, service) in services.enumerated() {
            for (a, info) in service.actions.enumerated() {
                insert(info.action, Location(service: Int32(s), action: Int32(a)), services)
            }
        }
        var start = 0
        firstBit.reserveCapacity(services.count)
        for service in services {
            firstBit.append(start)
            start += service.actions.count
        }
        held = Array(repeating: 0, count: (start + 63) / 64)
        for slot in slots where slot.service >= 0 {
            let bit = firstBit[Int(slot.service)] + Int(slot.action)
            held[bit >> 6] |= 1 << UInt64(bit & 63)
        }
    }

    private mutating func insert(_ action: IAMAction, _ location: Location, _ services: [ServiceInfo]) {
        var i = action.foldedHash & mask
        while slots[i].service >= 0 {
            if Self.action(at: slots[i], services) == action { slots[i] = location; return }
            i = (i + 1) & mask
        }
        slots[i] = location
        count += 1
    }

    /// The location of `action` in `services` (the list the index was made from).
    func find(_ action: IAMAction, in services: [ServiceInfo]) -> Location? {
        var i = action.foldedHash & mask
        while slots[i].service >= 0 {
            if Self.action(at: slots[i], services) == action { return slots[i] }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Every location, in load order (service by service, each service's actions in order).
    func forEachLocation(_ body: (Location) -> Void) {
        for s in firstBit.indices {
            let first = firstBit[s]
            let end = s + 1 < firstBit.count ? firstBit[s + 1] : held.count * 64
            var bit = first
            while bit < end {
                let word = held[bit >> 6] >> UInt64(bit & 63)
                if word == 0 { bit = (bit | 63) + 1; continue }
                bit += word.trailingZeroBitCount
                if bit >= end { break }
                body(Location(service: Int32(s), action: Int32(bit - first)))
                bit += 1
            }
        }
    }

    @inline(__always)
    private static func action(at location: Location, _ services: [ServiceInfo]) -> IAMAction {
        services[Int(location.service)].actions[Int(location.action)].action
    }
}
