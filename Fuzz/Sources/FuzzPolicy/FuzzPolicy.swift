// libFuzzer target: IAM policy documents (`PolicyDocument.parse`, Sources/AgentTrail/IAM) and the linter on the
// document; a document that is an authorization-details file (`aws iam get-account-authorization-details`) is read
// as one too, and every document in it linted.
//
// Oracles: no crash, leak or hang; a parse error or lint finding always carries a message.
import AgentTrail
import FuzzDriver
import Foundation

let linter = PolicyLinter()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    var documents: [PolicyDocument] = []
    do {
        documents.append(try PolicyDocument.parse(data: bytes, name: "fuzz.json", file: "fuzz.json"))
    } catch {
        precondition(!error.message.isEmpty, "parse error without a message")
    }
    if let json = try? PolicyJSON.parse(bytes), AuthorizationDetails.looksLike(json) {
        let (principals, errors) = AuthorizationDetails.parse(json, file: "fuzz.json")
        for e in errors { precondition(!e.message.isEmpty, "authorization-details error without a message") }
        for p in principals {
            documents.append(contentsOf: p.policies.documents)
            if let t = p.trustPolicy { documents.append(t) }
        }
    }
    for d in documents {
        for f in linter.lint(d) { precondition(!f.message.isEmpty, "lint finding without a message: \(f.rule)") }
    }
    return 0
}

/// The entry point SwiftPM links as `main` (see FuzzDriver.h).
@_cdecl("FuzzPolicy_main")
public func fuzzPolicyMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    agenttrail_fuzz_main(argc, argv) { data, size in fuzz(data!, size) }
}
