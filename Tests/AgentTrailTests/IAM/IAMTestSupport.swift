import AgentTrailTestSupport
import Foundation
import Testing
@testable import AgentTrail

/// Paths of IAM fixtures (in the source tree, not the bundle, so failures name real files).
enum IAMFixtures {
    static let policies = URL(fileURLWithPath: TestPaths.policyFixtures, isDirectory: true)
    static func policy(_ relative: String) -> String { policies.appendingPathComponent(relative).path }
    static let seed = policies.appendingPathComponent("seed")

    /// Parses an inline policy document for table tests.
    static func document(_ json: String, name: String = "inline.json") throws -> PolicyDocument {
        try PolicyDocument.parse(data: Data(json.utf8), name: name)
    }
}
