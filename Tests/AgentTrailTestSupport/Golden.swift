import Foundation
import Testing

/// Golden files: expected outputs checked in under `Tests/AgentTrailTests/Fixtures/golden` (its README.md says what
/// each covers, what is masked and how to regenerate), shared by the review's goldens and the command outputs'.
public enum Golden {
    public static let folder = URL(fileURLWithPath: TestPaths.goldens, isDirectory: true)
    /// `UPDATE_GOLDEN=1` rewrites the goldens instead of comparing.
    public static var updating: Bool { ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" }

    /// Compares `text` with the golden `name` (an issue at the caller naming the first differing line); with
    /// `UPDATE_GOLDEN=1` rewrites it instead.
    public static func expect(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = folder.appendingPathComponent(name)
        if updating {
            try Data(text.utf8).write(to: url)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if let diff = firstDifference(expected, text) {
            Issue.record("\(name) differs from the golden at \(diff)\n(UPDATE_GOLDEN=1 rewrites it)", sourceLocation: sourceLocation)
        }
    }

    /// Every output of one golden (one per run) must be the same after masking.
    public static func expectSame(_ outputs: [(label: String, text: String)], _ name: String,
                                  sourceLocation: SourceLocation = #_sourceLocation) {
        guard let first = outputs.first else { return }
        for o in outputs.dropFirst() {
            if let diff = firstDifference(first.text, o.text) {
                Issue.record("\(name): \(first.label) and \(o.label) differ (nondeterminism) at \(diff)", sourceLocation: sourceLocation)
            }
        }
    }

    /// The first differing line of two texts, as "line N:\n- a\n+ b"; nil when they are equal.
    public static func firstDifference(_ expected: String, _ actual: String) -> String? {
        if expected == actual { return nil }
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let i = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
        return "line \(i + 1):\n- \(i < a.count ? a[i] : "<eof>")\n+ \(i < b.count ? b[i] : "<eof>")"
    }
}
