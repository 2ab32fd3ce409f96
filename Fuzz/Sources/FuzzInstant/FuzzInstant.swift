// libFuzzer target: the CloudTrail time parser (`Instant.parseCloudTrail`, Sources/AgentTrail/Parse/Instant+Parse.swift).
//
// Oracles: no crash (no out-of-bounds read, no arithmetic overflow); the byte and String entry points agree; a parsed
// instant's components are in range, and it round-trips through `iso8601` (years 0...9999).
import AgentTrail
import FuzzDriver

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // A copy of exactly `size` bytes, so AddressSanitizer sees any read past the end.
    let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 1)
    defer { bytes.deallocate() }
    if size > 0 { bytes.copyMemory(from: UnsafeRawBufferPointer(start: data, count: size)) }
    let parsed = Instant.parseCloudTrail(UnsafeRawBufferPointer(bytes))

    if let text = String(validating: UnsafeRawBufferPointer(bytes), as: UTF8.self) {
        let viaString = Instant.parseCloudTrail(text)
        precondition(viaString == parsed, "String and bytes disagree on \(text.debugDescription)")
    }
    guard let instant = parsed else { return 0 }
    let c = instant.components
    precondition((1...12).contains(c.month) && (1...31).contains(c.day) && (0...23).contains(c.hour)
                 && (0...59).contains(c.minute) && (0...59).contains(c.second) && (0...999).contains(c.millisecond),
                 "components out of range: \(c)")
    if (0...9999).contains(c.year) {
        let again = Instant.parseCloudTrail(instant.iso8601)
        precondition(again == instant, "\(instant.iso8601) parses to \(String(describing: again)), not \(instant.millisecondsSince1970) ms")
    }
    return 0
}

/// The entry point SwiftPM links as `main` (see FuzzDriver.h).
@_cdecl("FuzzInstant_main")
public func fuzzInstantMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    agenttrail_fuzz_main(argc, argv) { data, size in fuzz(data!, size) }
}
