import Foundation
import Testing
@testable import AgentTrail

/// Event ids kept as two integers when they are CloudTrail's lowercase UUIDs read back exactly as written, and any
/// other text (or none) is kept as given; equality follows the text.
struct CompactEventIDTests {
    @Test(arguments: [
        "3038ebd2-c98a-4c65-9b6e-e22506292313", "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
        "3038EBD2-C98A-4C65-9B6E-E22506292313", "3038ebd2-c98a-4c65-9b6e-e2250629231g", "3038ebd2c98a-4c65-9b6e-e22506292313-",
        "3038ebd2-c98a-4c65-9b6e-e2250629231", "3038ebd2-c98a-4c65-9b6e-e225062923131", "", "event-1", "é038ebd2-c98a-4c65-9b6e-e2250629231",
    ])
    func readsBackAsWritten(text: String) {
        #expect(CompactEventID(text).text == text)
        #expect(CompactEventID(String(text)).text == text)
        #expect(CompactEventID(String(decoding: Array(text.utf8), as: UTF8.self)) == CompactEventID(text))
        #expect(CompactEventID(String(decoding: Array(text.utf8), as: UTF8.self)).hashValue == CompactEventID(text).hashValue)
        let ref = EvidenceRef(eventID: text, file: "f", index: 1, time: nil)
        #expect(ref.eventID == text)
        #expect(EvidenceRef(eventID: ref.eventID, file: "f", index: 1, time: nil).eventID == text)
        #expect(ref == EvidenceRef(eventID: String(decoding: Array(text.utf8), as: UTF8.self), file: "f", index: 1, time: nil))
        #expect(EvidenceRef(eventID: ref.eventID, file: "f", index: 1, time: nil) == ref)
    }

    @Test func randomUUIDsAndNone() {
        var seen = Set<EvidenceRef>()
        for _ in 0..<500 {
            let id = UUID().uuidString.lowercased()
            #expect(CompactEventID(id).text == id)
            seen.insert(EvidenceRef(eventID: id, file: "f", index: 0, time: nil))
        }
        #expect(seen.count == 500)
        #expect(CompactEventID(nil).text == nil)
        #expect(EvidenceRef(eventID: nil, file: "f", index: 0, time: nil).eventID == nil)
        // Upper and lower case of one UUID stay different ids, as their texts are.
        let lower = "3038ebd2-c98a-4c65-9b6e-e22506292313"
        #expect(CompactEventID(lower) != CompactEventID(lower.uppercased()))
        #expect(CompactEventID(lower) != CompactEventID(nil))
        #expect(CompactEventID("other") != CompactEventID(lower))
        var ref = EvidenceRef(eventID: lower, file: "f", index: 0, time: nil)
        ref.eventID = "other"
        #expect(ref.eventID == "other")
    }

    /// Every digit position of every group, with the bytes just outside the hex ranges ('/', ':', '`', 'g', '@', 'G',
    /// uppercase 'A'/'F', a space): the id stays text and reads back as written; the same UUID packs again.
    @Test(arguments: [0x2F, 0x3A, 0x60, 0x67, 0x40, 0x47, 0x41, 0x46, 0x20] as [UInt8])
    func anyNonHexByteKeepsText(byte: UInt8) {
        let lower = Array("3038ebd2-c98a-4c65-9b6e-e22506292313".utf8)
        let packed = CompactEventID(String(decoding: lower, as: UTF8.self))
        for position in lower.indices where lower[position] != 0x2D {
            var bytes = lower
            bytes[position] = byte
            let text = String(decoding: bytes, as: UTF8.self)
            let id = CompactEventID(text)
            #expect(id.text == text, "position \(position)")
            #expect(id != packed)
            // The decoder's path from the raw JSON string agrees (nil: decoded as text).
            let json = Array("\"".utf8) + bytes + Array("\"".utf8)
            json.withUnsafeBufferPointer { p in
                #expect(CompactEventID(uuidIn: p.baseAddress!, ByteSpan(start: 0, end: json.count)) == nil)
            }
        }
        let json = Array("\"".utf8) + lower + Array("\"".utf8)
        json.withUnsafeBufferPointer { p in
            #expect(CompactEventID(uuidIn: p.baseAddress!, ByteSpan(start: 0, end: json.count)) == packed)
        }
    }

    /// Every byte value at the first, a middle and the last digit: packed exactly when it is a lowercase hex digit
    /// (and then read back as written), through the decoder's raw path too.
    @Test func everyByteValueAtEdgeDigits() {
        let lower = Array("3038ebd2-c98a-4c65-9b6e-e22506292313".utf8)
        for position in [0, 7, 9, 14, 19, 24, 27, 28, 35] {
            for value in 0...255 {
                var bytes = lower
                bytes[position] = UInt8(value)
                let isHex = (0x30...0x39).contains(value) || (0x61...0x66).contains(value)
                let json = Array("\"".utf8) + bytes + Array("\"".utf8)
                let packed = json.withUnsafeBufferPointer { CompactEventID(uuidIn: $0.baseAddress!, ByteSpan(start: 0, end: json.count)) }
                #expect((packed != nil) == isHex, "position \(position) byte \(value)")
                if let packed { #expect(Array(packed.text!.utf8) == bytes) }
            }
        }
    }
}
