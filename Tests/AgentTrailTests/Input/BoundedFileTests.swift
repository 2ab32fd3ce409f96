import Foundation
import Testing
@testable import AgentTrail
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private typealias T = InputTestSupport

/// `BoundedFile.readBytes` (the IAM catalogue's reader) gives what `read` gives, and refuses what it refuses.
@Suite struct BoundedFileTests {
    @Test(arguments: [0, 1, 4_095, 4_096, 4_097, 65_536, 3_000_001])
    func bytesAreTheFileAndWhatReadGives(_ size: Int) throws {
        let dir = try T.temporaryDirectory("bounded-\(size)")
        defer { T.remove(dir) }
        let path = dir.appendingPathComponent("f.json").path
        var bytes = [UInt8](repeating: 0, count: size)
        var x: UInt32 = 2_463_534_242
        for i in 0..<size { x ^= x << 13; x ^= x >> 17; x ^= x << 5; bytes[i] = UInt8(truncatingIfNeeded: x) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let read = try BoundedFile.readBytes(path, limit: size)
        #expect(read == bytes)
        #expect(read == [UInt8](try BoundedFile.read(path, limit: size)))
        if size > 0 {
            #expect(throws: BoundedFile.Failure.tooLarge(size: Int64(size), limit: size - 1)) {
                try BoundedFile.readBytes(path, limit: size - 1)
            }
        }
    }

    @Test func missingFilesFIFOsAndFoldersAreRefusedAsReadRefusesThem() throws {
        let dir = try T.temporaryDirectory()
        defer { T.remove(dir) }
        let missing = dir.appendingPathComponent("none.json").path
        #expect(throws: BoundedFile.Failure.notFound) { try BoundedFile.readBytes(missing, limit: 10) }
        #expect(throws: BoundedFile.Failure.notFound) { try BoundedFile.read(missing, limit: 10) }
        let fifo = dir.appendingPathComponent("pipe.json").path
        try #require(mkfifo(fifo, 0o600) == 0)
        #expect(throws: BoundedFile.Failure.notRegular) { try BoundedFile.readBytes(fifo, limit: 10) }
        #expect(throws: BoundedFile.Failure.notRegular) { try BoundedFile.read(fifo, limit: 10) }
        #expect(throws: BoundedFile.Failure.notRegular) { try BoundedFile.readBytes(dir.path, limit: 10) }
    }
}
