import Foundation
import Testing
@testable import AgentTrail

private typealias T = InputTestSupport

@Suite struct InputReaderDamageTests {
    static let data = ValidInputCase.large
    static let compressed = T.gzip(data)

    /// Cut points: inside the header, early, middle, late deflate data, inside the trailer.
    static let cuts: [Int] = {
        let n = compressed.count
        return [1, 5, 12, n / 4, n / 2, n * 3 / 4, n - 9, n - 8, n - 4, n - 1]
    }()

    @Test(arguments: cuts, T.decompressors)
    func truncatedFileDeliversPrefixThenThrows(cut: Int, decompressor: Decompressor) throws {
        let dir = try T.temporaryDirectory()
        defer { T.remove(dir) }
        let path = try T.write(Array(Self.compressed[..<cut]), in: dir)
        let outcome = T.read(path, with: InputReader(decompressor: decompressor))
        let error = try #require(outcome.error)
        #expect(error.code == .truncated)
        #expect(error.path == path)
        #expect(error.offset == Int64(cut))
        #expect(error.description.hasPrefix("\(path): "))
        #expect(error.description.hasSuffix("at byte \(cut)"))
        #expect(outcome.bytes.elementsEqual(Self.data.prefix(outcome.bytes.count)))
        if cut >= Self.compressed.count - 8 {
            // The deflate data is complete: every byte must have been delivered before the error.
            #expect(outcome.bytes == Self.data)
        } else if cut == Self.compressed.count / 2 {
            #expect(outcome.bytes.count >= Self.data.count / 4)
        }
    }

    @Test(arguments: T.decompressors)
    func truncatedSecondMemberKeepsFirstMember(decompressor: Decompressor) throws {
        let dir = try T.temporaryDirectory()
        defer { T.remove(dir) }
        let first = T.records(300, seed: 9)
        let second = T.gzip(T.records(300, seed: 10))
        let file = T.gzip(first) + second.prefix(second.count / 2)
        let path = try T.write(file, in: dir)
        let outcome = T.read(path, with: InputReader(decompressor: decompressor))
        #expect(outcome.error?.code == .truncated)
        #expect(outcome.error?.offset == Int64(file.count))
        #expect(outcome.bytes.starts(with: first))
        #expect(outcome.bytes.count > first.count)
    }

    /// Byte positions to flip: header flags, deflate data, CRC.
    static let flips: [Int] = [3, compressed.count / 3, compressed.count / 2, compressed.count - 6]

    @Test(arguments: flips)
    func corruptFileThrowsCorruptWithOffset(position: Int) throws {
        let dir = try T.temporaryDirectory()
        defer { T.remove(dir) }
        var file = Self.compressed
        file[position] ^= 0x5A
        let path = try T.write(file, in: dir)
        var offsets: Set<Int64?> = []
        for decompressor in T.decompressors {
            let outcome = T.read(path, with: InputReader(decompressor: decompressor))
            let error = try #require(outcome.error)
            #expect(error.code == .corrupt, "\(decompressor): \(error)")
            #expect(error.path == path)
            let offset = try #require(error.offset)
            #expect((0...Int64(file.count)).contains(offset))
            offsets.insert(error.offset)
        }
        // libdeflate hands damaged members to zlib, so every decompressor reports the same offset.
        #expect(offsets.count == 1)
    }

    @Test(arguments: T.decompressors)
    func trailingGarbageIsCorrupt(decompressor: Decompressor) throws {
        let dir = try T.temporaryDirectory()
        defer { T.remove(dir) }
        let data = T.records(20)
        let member = T.gzip(data)
        let path = try T.write(member + Array("garbage!".utf8), in: dir)
        let outcome = T.read(path, with: InputReader(decompressor: decompressor))
        #expect(outcome.bytes == data)
        #expect(outcome.error?.code == .corrupt)
        #expect(outcome.error?.offset ?? -1 >= Int64(member.count))
    }
}
