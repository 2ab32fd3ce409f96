/// An accumulator whose state can be written to a partial result and read back (`scan --partial-out`,
/// `agenttrail merge`): the state of one process's merged workers, which `merge(_:)` then folds with the states of
/// other processes exactly as it folds workers.
///
/// Only what `observe` and `merge` change is written; what the accumulator takes from its detector and the
/// analysis context (thresholds, policies, rules, stored baselines) is not: the reading process makes a fresh
/// accumulator from the same detectors and context — the partial's fingerprint (`PartialFingerprint`) guarantees
/// they are the same — and `decodePartial` fills its state. Memo tables are not state and are not written.
/// Codable is used here because none of this is on the per-record path.
public protocol PartialCoding: DetectorAccumulator {
    /// Writes the accumulator's state.
    func encodePartial(to encoder: any Encoder) throws
    /// Replaces the state of this fresh accumulator with the state `encodePartial` wrote.
    func decodePartial(from decoder: any Decoder) throws
}

/// The coding keys of accumulator state: the property names, as written by each accumulator.
struct PartialKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// A keyed container of accumulator state with short calls: `try c.put(tallies, "tallies")`,
/// `tallies = try c.get("tallies")`.
extension KeyedEncodingContainer where K == PartialKey {
    mutating func put<T: Encodable>(_ value: T, _ name: String) throws { try encode(value, forKey: PartialKey(name)) }
}

extension KeyedDecodingContainer where K == PartialKey {
    func get<T: Decodable>(_ name: String, as type: T.Type = T.self) throws -> T { try decode(T.self, forKey: PartialKey(name)) }
}

extension Encoder {
    /// The keyed container accumulators write their state into.
    func partialContainer() -> KeyedEncodingContainer<PartialKey> { container(keyedBy: PartialKey.self) }
}

extension Decoder {
    /// The keyed container accumulators read their state from.
    func partialContainer() throws -> KeyedDecodingContainer<PartialKey> { try container(keyedBy: PartialKey.self) }
}
