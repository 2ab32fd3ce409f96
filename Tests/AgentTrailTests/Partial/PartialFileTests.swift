import AgentTrailTestSupport
import Foundation
import Testing
@testable import AgentTrail

/// The partial-result format below the CLI: SHA-256 against the standard's vectors, the header's checks, and a
/// state written and read back merging like the original.
@Suite struct PartialFileTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func sha256MatchesTheStandardVectors(input: String, digest: String) {
        #expect(SHA256.hex(Array(input.utf8)) == digest)
    }

    @Test func sha256OfAMillionAs() {
        var h = SHA256()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { h.update(chunk) }
        #expect(h.hexDigest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    static let fingerprint = PartialFingerprint(build: "b", config: "c", policies: "p", rules: "r", detectors: "d", input: "i")

    /// A state of the default detectors over SampleLogs, as bytes (made once; the tests share only the bytes, never
    /// a state: accumulators are not thread-safe, even to read — some fill lazy members).
    static func sample() throws -> (bytes: [UInt8], detectors: [any Detector]) {
        (try encoded.get(), DetectorRegistry.all())
    }

    static let encoded: Result<[UInt8], any Error> = Result {
        let (state, detectors) = collect()
        return try PartialFile.encode(state, detectors: detectors, fingerprint: fingerprint)
    }

    static func collect() -> (ScanState, [any Detector]) {
        var options = ScanOptions(paths: [TestPaths.sampleLogs], jobs: 2)
        options.detectors = DetectorRegistry.all()
        return (ScanRun.collect(options), options.detectors)
    }

    @Test func writtenAndReadBackGivesTheSameFindings() throws {
        let (state, detectors) = Self.collect()
        let bytes = try PartialFile.encode(state, detectors: detectors, fingerprint: Self.fingerprint)
        let contents = try PartialFile.decode(bytes, path: "x.part", detectors: detectors, context: AnalysisContext(),
                                              expected: Self.fingerprint, checkInput: true)
        let (read, fp) = (contents.state, contents.fingerprint)
        #expect(fp == Self.fingerprint)
        let options = ScanOptions(paths: [], detectors: detectors)
        let a = ScanRun.findings(state, options).findings.map(\.json), b = ScanRun.findings(read, options).findings.map(\.json)
        #expect(a.map { $0.serialized() } == b.map { $0.serialized() })
        #expect(!a.isEmpty)
        #expect(read.summary.json.serialized() == state.summary.json.serialized())
    }

    @Test(arguments: [
        ("badmagic", PartialFileError.Code.notPartial),
        ("version", .otherVersion),
        ("short", .truncated),
        ("long", .corrupt),
        ("flip", .corrupt),
        ("fingerprint", .mismatched),
        ("noNewline", .notPartial),
    ])
    func damagedBytesAreRejected(damage: String, code: PartialFileError.Code) throws {
        var (bytes, detectors) = try Self.sample()
        var expected = Self.fingerprint
        switch damage {
        case "badmagic": bytes[0] = UInt8(ascii: "A")
        case "version": bytes.replaceSubrange(0..<21, with: Array("agenttrail-partial 2 ".utf8))
        case "short": bytes.removeLast()
        case "long": bytes.append(UInt8(ascii: " "))
        case "flip": bytes[bytes.count - 10] ^= 1
        case "fingerprint": expected.rules = "other"
        default: bytes = Array("no header at all".utf8)
        }
        let error = #expect(throws: PartialFileError.self) {
            try PartialFile.decode(bytes, path: "shard-7.part", detectors: detectors, context: AnalysisContext(),
                                   expected: expected, checkInput: true)
        }
        #expect(error?.code == code)
        #expect(error?.description.hasPrefix("shard-7.part: ") == true)
    }

    @Test func theInputFingerprintIsCheckedOnlyWhenAsked() throws {
        let (bytes, detectors) = try Self.sample()
        var other = Self.fingerprint
        other.input = "elsewhere"
        _ = try PartialFile.decode(bytes, path: "p", detectors: detectors, context: AnalysisContext(), expected: other, checkInput: false)
        #expect(throws: PartialFileError.self) {
            try PartialFile.decode(bytes, path: "p", detectors: detectors, context: AnalysisContext(), expected: other, checkInput: true)
        }
    }

    @Test func fewerDetectorsThanTheMergeIsAMismatch() throws {
        let (bytes, detectors) = try Self.sample()
        let more = detectors + [DeniedCallsDetector()]
        let error = #expect(throws: PartialFileError.self) {
            try PartialFile.decode(bytes, path: "p", detectors: more, context: AnalysisContext(), expected: Self.fingerprint, checkInput: true)
        }
        #expect(error?.code == .mismatched)
    }

    @Test func fingerprintsFollowTheirInputs() {
        let a = PartialFingerprint.make(configPath: TestPaths.sampleLogs + "/agenttrail.yml", policyPaths: [TestPaths.sampleLogs + "/policies"],
                                        rules: nil, detectors: DetectorRegistry.all(), filter: .all, since: nil, until: nil)
        let same = PartialFingerprint.make(configPath: TestPaths.sampleLogs + "/agenttrail.yml", policyPaths: [TestPaths.sampleLogs + "/policies"],
                                           rules: nil, detectors: DetectorRegistry.all(), filter: .all, since: nil, until: nil)
        let noPolicies = PartialFingerprint.make(configPath: TestPaths.sampleLogs + "/agenttrail.yml", policyPaths: [],
                                                 rules: nil, detectors: DetectorRegistry.all(), filter: .all, since: nil, until: nil)
        let since = PartialFingerprint.make(configPath: TestPaths.sampleLogs + "/agenttrail.yml", policyPaths: [TestPaths.sampleLogs + "/policies"],
                                            rules: nil, detectors: DetectorRegistry.all(), filter: .all,
                                            since: Instant(millisecondsSince1970: 1), until: nil)
        #expect(a == same)
        #expect(a.firstDifference(noPolicies) == "policies")
        #expect(a.firstDifference(since) == "input")
        #expect(a.firstDifference(since, input: false) == nil)
    }
}
