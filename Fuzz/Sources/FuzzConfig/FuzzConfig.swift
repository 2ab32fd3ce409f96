// libFuzzer target: the YAML config (`AgentTrailConfig.parse(yaml:file:)`, Sources/AgentTrail/Config), through Yams
// (libyaml), as `AgentTrailConfig.load(path:)` reads it: UTF-8 text only.
//
// Oracles: no crash, leak or hang; every error is a `ConfigError` with a message.
import AgentTrail
import FuzzDriver

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return 0 }
    do {
        let config = try AgentTrailConfig.parse(yaml: text, file: "fuzz.yml")
        _ = config.expiredSuppressions(at: Instant(millisecondsSince1970: 1_750_000_000_000))
    } catch let e as ConfigError {
        precondition(!e.message.isEmpty, "config error without a message")
    } catch {
        fatalError("not a ConfigError: \(type(of: error)): \(error)")
    }
    return 0
}

/// The entry point SwiftPM links as `main` (see FuzzDriver.h).
@_cdecl("FuzzConfig_main")
public func fuzzConfigMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    agenttrail_fuzz_main(argc, argv) { data, size in fuzz(data!, size) }
}
