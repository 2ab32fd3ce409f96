import Foundation

/// A partial result on disk (`scan --partial-out`): one process's `ScanState` — summary, discoveries and every
/// detector's accumulator state — that `agenttrail merge` folds with others into one report.
///
/// Layout: one ASCII header line, then the body.
///
///     agenttrail-partial 1 <body bytes> sha256:<hex of the body>\n
///     {"fingerprint":{…},"agenttrail":"0.1.0","summary":{…},"discoveries":{…},"detectors":[{"id":…,"state":{…}},…]}
///
/// The header names the format and its version, and lets a reader tell a truncated or damaged file from a good one
/// before decoding anything; the body is JSON (Codable: nothing here is on the per-record path) holding the
/// fingerprint (`PartialFingerprint`), then the state. A reader rejects, naming the file: another format, another
/// version, a short body, a checksum that does not match, a fingerprint that differs, or a body that does not
/// decode. Nothing is merged silently.
public enum PartialFile {
    /// The first word of the header.
    public static let magic = "agenttrail-partial"
    /// The version this build writes and reads.
    public static let version = 1

    /// What a partial holds: a scan's (or review's) state, or a nightly shard's report (`scan --state S --shard K/N
    /// --partial-out P`; its body starts with `nightlyMarker` and is read by `AgentTrailStore`'s `NightlyPartial`).
    public enum Kind: String, Sendable, Hashable {
        case scan
        case nightly
    }

    /// How a nightly partial's body starts: the kind first, so that a reader tells it from a scan's partial without
    /// decoding the body.
    public static let nightlyMarker = #"{"kind":"nightly","#

    /// The kind of the partial at `path`, from its header and the first bytes of its body (the checksum is checked
    /// when the file is read). An unreadable file or one that is not a partial is refused as `read` refuses it.
    public static func kind(ofFileAt path: String) throws -> Kind {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw PartialFileError(.unreadable, path: path, "cannot read the file")
        }
        defer { try? handle.close() }
        let head: [UInt8]
        do { head = [UInt8](try handle.read(upToCount: 512) ?? Data()) } catch {
            throw PartialFileError(.unreadable, path: path, "cannot read the file")
        }
        guard head.starts(with: Array(magic.utf8)) else {
            throw PartialFileError(.notPartial, path: path, "not an agenttrail partial result (made by scan --partial-out)")
        }
        guard let newline = head.firstIndex(of: UInt8(ascii: "\n")) else { return .scan }
        return head[(newline + 1)...].starts(with: Array(nightlyMarker.utf8)) ? .nightly : .scan
    }

    /// `body` framed as a partial: the header (format, version, length, SHA-256), then the body.
    public static func frame(_ body: [UInt8]) -> [UInt8] {
        Array("\(magic) \(version) \(body.count) sha256:\(SHA256.hex(body))\n".utf8) + body
    }

    /// The body of the partial `bytes` (named `path` in errors) after checking its header, length and checksum.
    public static func body(of bytes: [UInt8], path: String) throws -> ArraySlice<UInt8> {
        try checkedBody(bytes, path: path)
    }

    /// What a partial holds, read back.
    public struct Contents {
        public var state: ScanState
        public var fingerprint: PartialFingerprint
        /// The delivery hours and counts of the files read, for the access review's evidence window (review partials).
        public var evidenceFiles: EvidenceFiles?
    }

    /// The partial of `state` (made by `detectors`, with `fingerprint`) as bytes; `evidenceFiles` for a review.
    public static func encode(_ state: ScanState, detectors: [any Detector], fingerprint: PartialFingerprint,
                              evidenceFiles: EvidenceFiles? = nil) throws -> [UInt8] {
        guard detectors.count == state.accumulators.count else {
            throw PartialFileError(.corrupt, path: "-", "the state has \(state.accumulators.count) accumulators for \(detectors.count) detectors")
        }
        let body = Body(fingerprint: fingerprint, agenttrail: AgentTrailVersion.string, summary: state.summary,
                        discoveries: Discoveries(agentRoles: state.agentRoles.sorted(), bedrockPrincipals: state.bedrockPrincipals.sorted(),
                                                 analysedFirst: state.analysedFirst, analysedLast: state.analysedLast),
                        evidenceFiles: evidenceFiles,
                        detectors: try zip(detectors, state.accumulators).map { d, a in
                            guard let coded = a as? any PartialCoding else {
                                throw PartialFileError(.corrupt, path: "-", "detector \(d.id) cannot write a partial result")
                            }
                            return DetectorState(id: d.id.rawValue, state: coded)
                        })
        return frame([UInt8](try JSONEncoder().encode(body)))
    }

    /// Writes the partial of `state` to `path`.
    public static func write(_ state: ScanState, detectors: [any Detector], fingerprint: PartialFingerprint,
                             evidenceFiles: EvidenceFiles? = nil, to path: String) throws {
        let bytes = try encode(state, detectors: detectors, fingerprint: fingerprint, evidenceFiles: evidenceFiles)
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw PartialFileError(.unreadable, path: path, "cannot write the partial result")
        }
    }

    /// Reads the partial at `path` into a state of fresh accumulators of `detectors` (with `context`); the
    /// fingerprint must equal `expected` in every analysis component, and in `input` when `expected` has one.
    public static func read(path: String, detectors: [any Detector], context: AnalysisContext,
                            expected: PartialFingerprint, checkInput: Bool) throws -> Contents {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PartialFileError(.unreadable, path: path, "cannot read the file")
        }
        return try decode([UInt8](data), path: path, detectors: detectors, context: context, expected: expected, checkInput: checkInput)
    }

    /// `read` over bytes already in memory (`path` names them in errors).
    public static func decode(_ bytes: [UInt8], path: String, detectors: [any Detector], context: AnalysisContext,
                              expected: PartialFingerprint, checkInput: Bool) throws -> Contents {
        let body = try checkedBody(bytes, path: path)
        if body.starts(with: Array(nightlyMarker.utf8)) {
            throw PartialFileError(.mismatched, path: path, "a nightly partial (scan --state … --partial-out): merge it only with "
                                   + "the other nightly shards' partials")
        }
        let decoder = JSONDecoder()
        let box = FreshAccumulators(detectors.map { $0.makeAccumulator(context: context) }, ids: detectors.map(\.id.rawValue))
        decoder.userInfo[FreshAccumulators.key] = box
        decoder.userInfo[Expectation.key] = Expectation(fingerprint: expected, checkInput: checkInput)
        let decoded: Body
        do { decoded = try decoder.decode(Body.self, from: Data(body)) } catch let e as PartialFileError {
            throw PartialFileError(e.code, path: path, e.message)
        } catch {
            throw PartialFileError(.corrupt, path: path, "the body does not decode (\(error))")
        }
        guard box.isComplete else {
            throw PartialFileError(.mismatched, path: path, "holds fewer detectors than this merge runs")
        }
        let d = decoded.discoveries
        let state = ScanState(summary: decoded.summary, accumulators: box.accumulators, agentRoles: Set(d.agentRoles),
                              bedrockPrincipals: Set(d.bedrockPrincipals), analysedFirst: d.analysedFirst, analysedLast: d.analysedLast)
        return Contents(state: state, fingerprint: decoded.fingerprint, evidenceFiles: decoded.evidenceFiles)
    }

    /// The body of a partial after checking its header, length and checksum.
    static func checkedBody(_ bytes: [UInt8], path: String) throws -> ArraySlice<UInt8> {
        guard let newline = bytes.prefix(256).firstIndex(of: UInt8(ascii: "\n")) else {
            throw PartialFileError(bytes.starts(with: Array(magic.utf8)) ? .truncated : .notPartial, path: path,
                                   bytes.starts(with: Array(magic.utf8)) ? "truncated in its header" : "not an agenttrail partial result (made by scan --partial-out)")
        }
        let words = String(decoding: bytes[..<newline], as: UTF8.self).split(separator: " ").map(String.init)
        guard words.first == magic else {
            throw PartialFileError(.notPartial, path: path, "not an agenttrail partial result (made by scan --partial-out)")
        }
        guard words.count >= 2, let v = Int(words[1]) else { throw PartialFileError(.corrupt, path: path, "damaged header") }
        guard v == version else {
            throw PartialFileError(.otherVersion, path: path,
                                   "partial result format version \(v); this agenttrail (\(AgentTrailVersion.string)) reads version \(version)")
        }
        guard words.count == 4, let length = Int(words[2]), length >= 0, words[3].hasPrefix("sha256:") else {
            throw PartialFileError(.corrupt, path: path, "damaged header")
        }
        let body = bytes[(newline + 1)...]
        if body.count < length {
            throw PartialFileError(.truncated, path: path, "truncated: \(body.count) of \(length) body bytes")
        }
        if body.count > length {
            throw PartialFileError(.corrupt, path: path, "\(body.count - length) bytes after the end of the body")
        }
        guard SHA256.hex(body) == words[3].dropFirst("sha256:".count) else {
            throw PartialFileError(.corrupt, path: path, "corrupt: the body's SHA-256 does not match its header")
        }
        return body
    }

    fileprivate static func mismatch(_ field: String, made: String) -> String {
        switch field {
        case "build": return "made by another build of agenttrail (\(made)) than this one (\(AgentTrailVersion.string))"
        case "input": return "made with other input filters (--account, --region, --since, --until) than the other partials"
        case "detectors": return "made with other detectors than this merge (--summary-only, rules or --policies differ; a review's partials merge with --review, a scan's without)"
        default: return "made with other \(field) than this merge (give merge the same --config, --policies and rules as the scans)"
        }
    }

    // MARK: - Body

    /// The fingerprint a reading expects; `Body` checks it before decoding any accumulator.
    private final class Expectation: @unchecked Sendable {
        static let key = CodingUserInfoKey(rawValue: "agenttrail.expectedFingerprint")!
        let fingerprint: PartialFingerprint
        let checkInput: Bool
        init(fingerprint: PartialFingerprint, checkInput: Bool) {
            self.fingerprint = fingerprint
            self.checkInput = checkInput
        }
    }

    struct Discoveries: Codable {
        var agentRoles: [String]
        var bedrockPrincipals: [String]
        var analysedFirst: Instant?
        var analysedLast: Instant?
    }

    private struct Body: Codable {
        var fingerprint: PartialFingerprint
        var agenttrail: String
        var summary: ScanSummary
        var discoveries: Discoveries
        var evidenceFiles: EvidenceFiles?
        var detectors: [DetectorState]

        private enum CodingKeys: String, CodingKey { case fingerprint, agenttrail, summary, discoveries, evidenceFiles, detectors }

        init(fingerprint: PartialFingerprint, agenttrail: String, summary: ScanSummary, discoveries: Discoveries,
             evidenceFiles: EvidenceFiles?, detectors: [DetectorState]) {
            self.fingerprint = fingerprint
            self.agenttrail = agenttrail
            self.summary = summary
            self.discoveries = discoveries
            self.evidenceFiles = evidenceFiles
            self.detectors = detectors
        }

        /// Reads the fingerprint first and stops at a mismatch, before any accumulator is decoded (one parse of the
        /// body in all).
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            fingerprint = try c.decode(PartialFingerprint.self, forKey: .fingerprint)
            agenttrail = try c.decode(String.self, forKey: .agenttrail)
            if let expected = decoder.userInfo[Expectation.key] as? Expectation,
               let field = fingerprint.firstDifference(expected.fingerprint, input: expected.checkInput) {
                throw PartialFileError(.mismatched, path: "-", PartialFile.mismatch(field, made: agenttrail))
            }
            summary = try c.decode(ScanSummary.self, forKey: .summary)
            discoveries = try c.decode(Discoveries.self, forKey: .discoveries)
            evidenceFiles = try c.decodeIfPresent(EvidenceFiles.self, forKey: .evidenceFiles)
            detectors = try c.decode([DetectorState].self, forKey: .detectors)
        }
    }

    /// One detector's id and state; decoding fills the next fresh accumulator (`FreshAccumulators`).
    private struct DetectorState: Codable {
        var id: String
        var state: (any PartialCoding)?

        init(id: String, state: any PartialCoding) {
            self.id = id
            self.state = state
        }

        private enum Keys: String, CodingKey { case id, state }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(id, forKey: .id)
            try state?.encodePartial(to: c.superEncoder(forKey: .state))
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Keys.self)
            id = try c.decode(String.self, forKey: .id)
            guard let box = decoder.userInfo[FreshAccumulators.key] as? FreshAccumulators else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "no accumulators to fill"))
            }
            let (accumulator, expectedID) = try box.next()
            guard id == expectedID else {
                throw PartialFileError(.mismatched, path: "-", "holds detector \(id) where this merge runs \(expectedID)")
            }
            guard let coded = accumulator as? any PartialCoding else {
                throw PartialFileError(.corrupt, path: "-", "detector \(id) cannot read a partial result")
            }
            try coded.decodePartial(from: c.superDecoder(forKey: .state))
            state = nil
        }
    }

    /// The fresh accumulators a decoding fills, in detector order.
    private final class FreshAccumulators: @unchecked Sendable {
        static let key = CodingUserInfoKey(rawValue: "agenttrail.freshAccumulators")!
        let accumulators: [any DetectorAccumulator]
        let ids: [String]
        private var position = 0

        init(_ accumulators: [any DetectorAccumulator], ids: [String]) {
            self.accumulators = accumulators
            self.ids = ids
        }

        var isComplete: Bool { position == accumulators.count }

        func next() throws -> (any DetectorAccumulator, String) {
            guard position < accumulators.count else {
                throw PartialFileError(.mismatched, path: "-", "holds more detectors than this merge runs")
            }
            defer { position += 1 }
            return (accumulators[position], ids[position])
        }
    }
}
