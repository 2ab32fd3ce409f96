import AgentTrailTestSupport
import Foundation
import CJSONScan
import Testing
@testable import AgentTrail

/// The Swift bracket counter `JSONScan.skipContainer` was before it moved to C (`agenttrail_skip_container`, 64 bytes
/// at a time), kept verbatim as the oracle: a small stack checks `}` vs `]` up to depth 64, strings end where
/// `JSONScan.stringEnd` says, a backslash outside a string is an ordinary byte.
enum JSONScanReference {
    static func skipContainer(_ p: UnsafePointer<UInt8>, _ from: Int, _ n: Int, maxDepth: Int = JSONScan.maxDepth) -> Int? {
        var depth = 0
        var kinds: UInt64 = 0  // bit k set = level k is an array
        var i = from
        while i < n {
            let b = p[i]
            switch b {
            case JSONScan.quote:
                guard let e = JSONScan.stringEnd(p, i &+ 1, n) else { return nil }
                i = e
            case 0x7B, 0x5B:
                if depth < 64 {
                    let bit: UInt64 = 1 << UInt64(depth)
                    if b == 0x5B { kinds |= bit } else { kinds &= ~bit }
                } else if depth >= maxDepth {
                    return nil
                }
                depth &+= 1
            case 0x7D, 0x5D:
                depth &-= 1
                if depth < 0 { return nil }
                if depth < 64 {
                    let isArray = kinds & (1 << UInt64(depth)) != 0
                    if isArray != (b == 0x5D) { return nil }
                }
                if depth == 0 { return i &+ 1 }
            default:
                break
            }
            i &+= 1
        }
        return nil
    }
}

/// `JSONScan.skipContainer` (C, blocks of 64 bytes; AVX2 where the processor has it) and the C portable variant
/// against `JSONScanReference.skipContainer` (the Swift it replaced):
/// hand-made cases around the block edges, seeded random byte strings over the bytes that matter (quotes, backslashes,
/// brackets), and valid JSON cut at every length. Each input is tried at several offsets in its buffer, so that the
/// same bytes fall on different block boundaries, and from every opening bracket in it.
@Suite struct SkipContainerTests {
    /// Both implementations on `text` placed after `pad` bytes of padding, from every opener (and from the start).
    static func compare(_ bytes: [UInt8], pads: [Int] = [0, 1, 31, 63, 64, 65], openersLimit: Int = .max,
                        maxDepth: Int = JSONScan.maxDepth, sourceLocation: SourceLocation = #_sourceLocation) {
        for pad in pads {
            let buffer = [UInt8](repeating: UInt8(ascii: "x"), count: pad) + bytes
            buffer.withUnsafeBufferPointer { b in
                let p = b.baseAddress!
                var tried = 0
                for start in pad..<buffer.count where tried < openersLimit {
                    let c = buffer[start]
                    guard c == 0x7B || c == 0x5B || start == pad else { continue }
                    tried += 1
                    let expected = JSONScanReference.skipContainer(p, start, buffer.count, maxDepth: maxDepth)
                    let got: Int?
                    if maxDepth == JSONScan.maxDepth {
                        got = JSONScan.skipContainer(p, start, buffer.count)
                    } else {
                        let r = agenttrailSkipContainer(p, start, buffer.count, maxDepth)
                        got = r < 0 ? nil : r
                    }
                    #expect(got == expected, "pad \(pad) start \(start): \(String(decoding: bytes, as: UTF8.self))",
                            sourceLocation: sourceLocation)
                    // (The portable variant too: on a processor with AVX2 the call above took the AVX2 one.)
                    let portable = agenttrail_skip_container_portable(p, start, buffer.count, maxDepth)
                    #expect((portable < 0 ? nil : portable) == expected,
                            "portable, pad \(pad) start \(start): \(String(decoding: bytes, as: UTF8.self))",
                            sourceLocation: sourceLocation)
                }
            }
        }
    }

    static let cases: [String] = [
        "{}", "[]", "{", "[", "}", "]", "{]", "[}", "{\"a\":1}", "[1,2,[3,[4]]]", "{\"a\":\"}\"}", "{\"a\":\"\\\"}\"}",
        "{\"a\":\"\\\\\"}", "{\"a\":\"\\\\\\\"}\"}", "[\"\\\\\\\\\"]", "{\"a\":\"abc", "{\"a\":\"abc\\", "[\\\"]", "[\\]",
        "[\"a\"]]", "[[[[]]]]", "[[[[]]]", "{\"k\":[{\"x\":\"[\"},{\"y\":\"]\"}]}", "[\"\\u005d\"]",
        "[" + String(repeating: "\"q\",", count: 40) + "\"end\"]",
        "[" + String(repeating: "\\", count: 130) + "]",  // backslashes outside strings: ordinary bytes
        "[\"" + String(repeating: "\\", count: 129) + "\"]",  // odd run: the last quote is escaped, no end
        "[\"" + String(repeating: "\\", count: 128) + "\"]",
        String(repeating: "[", count: 70) + String(repeating: "]", count: 70),
        String(repeating: "[", count: 70) + String(repeating: "}", count: 6) + String(repeating: "]", count: 64),  // deep closers not kind-checked
        String(repeating: "[", count: 70) + String(repeating: "]", count: 69),
        "{\"é\":\"ü\\u00e9\",\"x\":[\"{\"]}", "{\"a\":\"\u{7F}\u{1}\"}",
    ]

    @Test(arguments: cases)
    func handMadeCases(text: String) {
        Self.compare(Array(text.utf8))
    }

    /// A string holding a run of backslashes (1–4) followed by a quote or a bracket, placed so that the run ends on
    /// every offset from 56 to 72 after the opener: escapes that straddle the first block edge (offset 64), where the
    /// escaped byte is the next block's first (an escaped quote taken for a closing one would end the string early).
    @Test(arguments: 1...4)
    func escapesAcrossTheBlockEdge(run: Int) {
        for lastBackslash in 56...72 {
            for after in ["\"", "]", "}", "x"] {
                // `{"a":"` is 6 bytes: the run starts at offset 6 + fill.
                let fill = lastBackslash - 6 - (run - 1)
                // (A second member of 90 bytes: the block after the edge is whole, not the byte-by-byte tail.)
                let text = "{\"a\":\"" + String(repeating: "y", count: fill) + String(repeating: "\\", count: run) + after
                    + "\",\"b\":\"" + String(repeating: "z", count: 90) + "\"}" + "\"]}"
                Self.compare(Array(text.utf8), pads: [0, 3], openersLimit: 1)
            }
        }
    }

    /// JSON-like values built at random (objects, arrays, strings of 0–90 bytes with escapes and brackets inside,
    /// numbers, literals), most of them then damaged at one to three random places with a quote, a backslash or a
    /// bracket: containers long enough to cross several blocks, closed and not.
    @Test(arguments: [11 as UInt64, 12, 13])
    func seededRandomDocuments(seed: UInt64) {
        var rng = SplitMix(seed &* 0x51_7CC1_B727)
        func value(_ depth: Int, _ out: inout [UInt8]) {
            let pick = depth > 6 ? 3 + Int(rng.next() % 3) : Int(rng.next() % 6)
            switch pick {
            case 0, 1:
                let open: UInt8 = pick == 0 ? 0x7B : 0x5B
                out.append(open)
                for k in 0..<Int(rng.next() % 5) {
                    if k > 0 { out.append(0x2C) }
                    if open == 0x7B { string(&out); out.append(0x3A) }
                    value(depth + 1, &out)
                }
                out.append(open == 0x7B ? 0x7D : 0x5D)
            case 2, 3: string(&out)
            case 4: out.append(contentsOf: Array("-12.5e3".utf8))
            default: out.append(contentsOf: Array("null".utf8))
            }
        }
        func string(_ out: inout [UInt8]) {
            out.append(0x22)
            let pieces: [[UInt8]] = [Array("ab".utf8), Array("\\\"".utf8), Array("\\\\".utf8), Array("{".utf8),
                                     Array("]".utf8), Array("\\u005d".utf8), Array("xyzxyzxyz".utf8), [0xC3, 0xA9]]
            for _ in 0..<Int(rng.next() % 12) { out.append(contentsOf: pieces[Int(rng.next() % UInt64(pieces.count))]) }
            out.append(0x22)
        }
        let damage: [UInt8] = Array("\"\\{}[]".utf8)
        var long = 0
        for _ in 0..<300 {
            var bytes: [UInt8] = []
            bytes.append(rng.next() % 2 == 0 ? 0x7B : 0x5B)
            let close: UInt8 = bytes[0] == 0x7B ? 0x7D : 0x5D
            for k in 0..<(1 + Int(rng.next() % 6)) {
                if k > 0 { bytes.append(0x2C) }
                if bytes[0] == 0x7B { string(&bytes); bytes.append(0x3A) }
                value(1, &bytes)
            }
            bytes.append(close)
            if bytes.count > 128 { long += 1 }
            if rng.next() % 4 != 0 {
                for _ in 0..<(1 + Int(rng.next() % 3)) {
                    bytes[Int(rng.next() % UInt64(bytes.count))] = damage[Int(rng.next() % UInt64(damage.count))]
                }
            }
            Self.compare(bytes, pads: [0, 9], openersLimit: 6)
        }
        #expect(long > 30, "the generator must also make containers that cross blocks")
    }

    /// Random strings over `{ } [ ] " \ a` and a space, weighted towards brackets and quotes, 0–300 bytes.
    @Test(arguments: [1 as UInt64, 2, 3, 4])
    func seededRandomBytes(seed: UInt64) {
        var rng = SplitMix(seed &* 0x9E37_79B9)
        let alphabet: [UInt8] = Array("{}[]\"\"\\aaaa ".utf8)
        var nonTrivial = 0
        for _ in 0..<400 {
            let count = Int(rng.next() % 300)
            var bytes: [UInt8] = [rng.next() % 2 == 0 ? 0x7B : 0x5B]
            for _ in 0..<count { bytes.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
            bytes.withUnsafeBufferPointer { b in
                if JSONScanReference.skipContainer(b.baseAddress!, 0, b.count) != nil { nonTrivial += 1 }
            }
            Self.compare(bytes, pads: [0, 7, 63], openersLimit: 12)
        }
        #expect(nonTrivial > 20, "the generator must also make containers that close")
    }

    /// Runs of backslashes of every parity: long containers of strings holding runs of 0–9 backslashes before a
    /// quote, a bracket, a letter or the string's end, so that runs start and end at every offset of a block and
    /// cross block edges; one in five also has a backslash outside a string (an ordinary byte for the reference).
    @Test(arguments: [31 as UInt64, 32, 33, 34])
    func backslashRunsOfEveryParity(seed: UInt64) {
        var rng = SplitMix(seed &* 0x2545_F491_4F6C_DD1D)
        let after: [UInt8] = Array("\"]}[{x".utf8)
        var closed = 0
        for round in 0..<250 {
            var bytes: [UInt8] = [0x5B]
            for k in 0..<(2 + Int(rng.next() % 12)) {
                if k > 0 { bytes.append(0x2C) }
                if round % 5 == 0 && rng.next() % 6 == 0 { bytes.append(0x5C) }  // outside a string
                bytes.append(0x22)
                for _ in 0..<Int(rng.next() % 6) {
                    bytes.append(contentsOf: [UInt8](repeating: UInt8(ascii: "a"), count: Int(rng.next() % 20)))
                    bytes.append(contentsOf: [UInt8](repeating: 0x5C, count: Int(rng.next() % 10)))
                    bytes.append(after[Int(rng.next() % UInt64(after.count))])
                }
                bytes.append(0x22)
            }
            bytes.append(0x5D)
            bytes.withUnsafeBufferPointer { b in
                if JSONScanReference.skipContainer(b.baseAddress!, 0, b.count) != nil { closed += 1 }
            }
            Self.compare(bytes, pads: [0, 1, 2, 61, 63], openersLimit: 2)
        }
        #expect(closed > 25, "the generator must also make containers that close")
    }

    /// A CloudTrail-like record (nested objects, arrays, escapes, brackets inside strings) cut at every length: every
    /// prefix must be answered alike, including the whole.
    @Test func validJSONCutAtEveryLength() {
        let record = #"{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/r/s","sessionContext":{"attributes":{"mfaAuthenticated":"false"}}},"requestParameters":{"policyDocument":"{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:*\"]}]}","tags":[{"key":"a]b","value":"c}d"}],"path":"C:\\temp\\"},"resources":[{"ARN":"arn:aws:s3:::b"},[],{}],"n":[1,-2.5e3,true,null]}"#
        let bytes = Array(record.utf8)
        for length in 1...bytes.count {
            Self.compare(Array(bytes[..<length]), pads: [0, 33], openersLimit: 4)
        }
        bytes.withUnsafeBufferPointer { b in
            #expect(JSONScan.skipContainer(b.baseAddress!, 0, b.count) == b.count)
        }
    }

    /// The AVX2 variant is taken exactly when the processor has AVX2 and PCLMULQDQ (as Linux lists its flags); where
    /// there is no `/proc/cpuinfo` (macOS), only that the answer does not change between calls.
    @Test func avx2IsUsedWhereTheProcessorHasIt() throws {
        let first = agenttrail_skip_container_uses_avx2()
        #expect(agenttrail_skip_container_uses_avx2() == first)
        #if os(Linux) && arch(x86_64)
        let info = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = Set((info.split(separator: "\n").first { $0.hasPrefix("flags") } ?? "").split(separator: " ").map(String.init))
        #expect((first == 1) == (flags.contains("avx2") && flags.contains("pclmulqdq")))
        #endif
    }

    /// Nesting limits beyond the 64 kind-checked levels: the C function gets `maxDepth` as the reference does.
    @Test(arguments: [64, 65, 70, 100])
    func maxDepthIsHonoured(maxDepth: Int) {
        for depth in [63, 64, 65, 66, 69, 70, 71, 99, 100, 101] {
            let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            Self.compare(Array(text.utf8), pads: [0, 5], openersLimit: 1, maxDepth: maxDepth)
        }
    }
}

/// The C entry point with an explicit depth limit (the library passes `JSONScan.maxDepth`).
func agenttrailSkipContainer(_ p: UnsafePointer<UInt8>, _ from: Int, _ n: Int, _ maxDepth: Int) -> Int {
    agenttrail_skip_container(p, from, n, maxDepth)
}
