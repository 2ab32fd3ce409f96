#if canImport(Glibc)
import Glibc
#endif

extension NightlyOptions {
    /// The crash and pause points the kill tests drive through the environment of the real binary (a process
    /// killed with SIGKILL is the only honest test of "a kill loses at most the uncommitted batch"):
    /// `AGENTTRAIL_TEST_CRASH_AFTER_BATCHES=N` kills the process after batch N committed,
    /// `AGENTTRAIL_TEST_PAUSE_AFTER_BATCHES=N` stops it there (announced on stderr through `announce`), and
    /// `AGENTTRAIL_TEST_CRASH_IN_BATCH=N` kills it inside the transaction of step N. Unset: no hook.
    public mutating func installTestHooks(environment: [String: String], announce: @escaping @Sendable (String) -> Void) {
        func int(_ name: String) -> Int? { environment[name].flatMap { Int($0) } }
        if let n = int("AGENTTRAIL_TEST_CRASH_AFTER_BATCHES") {
            afterCommit = { done in if done >= n { kill(getpid(), SIGKILL) } }
        }
        if let n = int("AGENTTRAIL_TEST_PAUSE_AFTER_BATCHES") {
            afterCommit = { done in
                if done >= n {
                    announce("agenttrail-test: paused after \(done) batch(es)\n")
                    while true { sleep(60) }
                }
            }
        }
        if let n = int("AGENTTRAIL_TEST_CRASH_IN_BATCH") {
            beforeCommit = { batch in if batch >= n { kill(getpid(), SIGKILL) } }
        }
    }
}
