// libFuzzer target: the input reader (Sources/AgentTrail/Input) on arbitrary file contents.
//
// The input is written to a file and read three ways: zlib streaming (`Decompressor.zlib`), libdeflate's whole-file
// path with the default cap and budget, and the whole-file path with a small cap and budget (so size caps, buffer
// growth, exclusive leases and the fall-back to zlib from a member's first byte are reached by small inputs).
// Oracles: no crash, leak or hang; every path delivers the same bytes and ends with the same error (code and
// offset), except that a `.tooLarge` stop may cut the delivered bytes at a different member boundary; input that
// does not start with the gzip magic is delivered unchanged.
#if canImport(Glibc)
import Glibc
#endif
import AgentTrail
import FuzzDriver

/// The file the input is written to (one per process: libFuzzer runs one input at a time).
/// In memory (/dev/shm) when there is one, so the file system is not worn; removed at exit.
let inputPath: String = {
    let dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    let path = "\(dir)/agenttrail-fuzz-gzip-\(getpid()).bin"
    atexit { unlink(inputPath) }
    return path
}()

/// Whole-file buffers are lent by budgets that live across inputs, as they do across the files of a run.
nonisolated(unsafe) let readers: [InputReader] = [
    InputReader(decompressor: .zlib, maxDecompressedBytes: 16 << 20),
    InputReader(decompressor: .libdeflate, maxDecompressedBytes: 16 << 20),
    InputReader(decompressor: .libdeflate, wholeFileCap: 4096, maxDecompressedBytes: 16 << 20,
                budget: WholeFileBudget(bytes: 128 * 1024)),
]

/// What one read delivered: byte count and a running FNV-1a hash, and how it ended.
struct Outcome: Equatable {
    var count = 0
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    var error: InputError?
    var prefix: [UInt8] = []  // the first bytes, to compare plain input with what was delivered

    mutating func add(_ chunk: UnsafeRawBufferPointer) {
        count += chunk.count
        for b in chunk { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        if prefix.count < 1 << 16 { prefix.append(contentsOf: chunk.prefix(1 << 16 - prefix.count)) }
    }
}

func write(_ data: UnsafePointer<UInt8>, _ size: Int) {
    let fd = open(inputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    precondition(fd >= 0, "cannot create \(inputPath)")
    var done = 0
    while done < size {
        let n = Glibc.write(fd, data + done, size - done)
        precondition(n > 0, "cannot write \(inputPath)")
        done += n
    }
    close(fd)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    write(data, size)
    var outcomes: [Outcome] = []
    for reader in readers {
        var o = Outcome()
        do {
            try reader.forEachChunk(path: inputPath) { o.add($0) }
        } catch let e as InputError {
            o.error = e
        } catch {
            fatalError("unexpected error type: \(error)")
        }
        outcomes.append(o)
    }
    let first = outcomes[0]
    for (i, o) in outcomes.enumerated().dropFirst() {
        if first.error?.code == .tooLarge || o.error?.code == .tooLarge {
            precondition(first.error?.code == o.error?.code, "reader \(i): \(String(describing: o.error)) vs zlib \(String(describing: first.error))")
            continue
        }
        precondition(o.count == first.count && o.hash == first.hash,
                     "reader \(i) delivered \(o.count) bytes, zlib \(first.count) (or different bytes)")
        precondition(o.error?.code == first.error?.code && o.error?.offset == first.error?.offset,
                     "reader \(i) ended with \(String(describing: o.error)), zlib with \(String(describing: first.error))")
    }
    let isGzip = size >= 2 && data[0] == 0x1F && data[1] == 0x8B
    if !isGzip && !(size == 1 && data[0] == 0x1F) {
        precondition(first.error == nil && first.count == size, "plain input not delivered unchanged")
        precondition(first.prefix.elementsEqual(UnsafeBufferPointer(start: data, count: min(size, 1 << 16))),
                     "plain input not delivered unchanged")
    }
    return 0
}

/// The entry point SwiftPM links as `main` (see FuzzDriver.h).
@_cdecl("FuzzGzip_main")
public func fuzzGzipMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    agenttrail_fuzz_main(argc, argv) { data, size in fuzz(data!, size) }
}
