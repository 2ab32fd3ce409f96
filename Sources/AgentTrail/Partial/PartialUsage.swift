/// A `UsageAccumulator`'s state as written in a partial result.
struct PartialUsage: Codable {
    var usage: [String: [IAMAction: ActionUsage]]
    var dataEventPrefixes: Set<String>
    var unknownEvents: [String: Int]
    /// Per principal: `[first, last]`.
    var principalWindow: [String: [Instant?]]
    var dailyCalls: [String: [Int64: DailyCalls]]

    init(_ u: UsageAccumulator) {
        usage = u.usage
        dataEventPrefixes = u.dataEventPrefixes
        unknownEvents = u.unknownEvents
        principalWindow = u.principalWindow.mapValues { [$0.first, $0.last] }
        dailyCalls = u.dailyCalls
    }

    /// Puts this state into `u` (a fresh accumulator).
    func restore(into u: UsageAccumulator) throws {
        guard principalWindow.values.allSatisfy({ $0.count == 2 }) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "a principal window is not [first, last]"))
        }
        u.restore(usage: usage, dataEventPrefixes: dataEventPrefixes, unknownEvents: unknownEvents,
                  principalWindow: principalWindow.mapValues { (first: $0[0], last: $0[1]) }, dailyCalls: dailyCalls)
    }
}
