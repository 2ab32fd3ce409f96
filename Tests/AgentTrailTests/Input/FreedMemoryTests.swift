import Foundation
import Synchronization
import Testing
@testable import AgentTrail

/// Memory handed back to the system after a large part of it was freed (`FreedMemory.returnToSystem`), and objects
/// freed on another thread (`ScanRun.freeElsewhere`).
@Suite struct FreedMemoryTests {
    /// Resident pages of this process (`/proc/self/statm`, second field), or nil where there is no such file.
    static func residentPages() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        return fields.count > 1 ? Int(fields[1]) : nil
    }

    /// 48 MB in 64 KB blocks (below the allocator's mmap threshold, so on its heaps), written and freed: the
    /// resident set keeps them until they are returned, and shrinks by at least half of them then.
    @Test(.enabled(if: FreedMemory.trim != nil && residentPages() != nil, "needs glibc's malloc_trim and /proc"))
    func freedHeapPagesLeaveTheResidentSet() throws {
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        let blocks = (0..<768).map { _ -> UnsafeMutableRawPointer in
            let p = malloc(64 * 1024)!
            memset(p, 0x5A, 64 * 1024)
            return p
        }
        // Keep the last block: the heap's top stays in use, so freeing alone gives nothing back.
        for p in blocks.dropLast() { free(p) }
        let before = try #require(Self.residentPages())
        FreedMemory.returnToSystem()
        let after = try #require(Self.residentPages())
        free(blocks.last!)
        // (Half: other tests running at the same time allocate meanwhile.)
        #expect((before - after) * pageSize > 24 << 20, "returned \(((before - after) * pageSize) >> 20) MB of 48")
    }

    final class Watched {
        let onDeinit: @Sendable (pthread_t) -> Void
        init(_ onDeinit: @escaping @Sendable (pthread_t) -> Void) { self.onDeinit = onDeinit }
        deinit { onDeinit(pthread_self()) }
    }

    /// The object is freed, on another thread than the caller's, which handed over its only reference and waits.
    @Test func freedElsewhere() {
        let freedOn = DispatchSemaphore(value: 0)
        let caller = pthread_self()
        let elsewhere = Mutex<Bool?>(nil)
        do {
            let object = Watched { thread in
                elsewhere.withLock { $0 = pthread_equal(thread, caller) == 0 }
                freedOn.signal()
            }
            ScanRun.freeElsewhere(consume object)  // (as the scan hands its state: no reference left here)
        }
        #expect(freedOn.wait(timeout: .now() + 5) == .success, "not freed within 5 s")
        #expect(elsewhere.withLock { $0 } == true)
    }
}
