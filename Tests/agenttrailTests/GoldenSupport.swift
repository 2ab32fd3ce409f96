import AgentTrailTestSupport
import Foundation

/// The command outputs' goldens (`scan`, `events`, `timeline`, `lint`) sit beside the review's; comparing them is
/// `Golden` (AgentTrailTestSupport), masking what changes between runs is `GoldenMask` below.
extension Golden {
    /// Job counts every golden is produced at (outputs must be byte-identical after masking); with
    /// `AGENTTRAIL_SLOW_TESTS=1` also a second run at 2 jobs and a run at 4.
    static let jobCounts: [Int] = ProcessInfo.processInfo.environment["AGENTTRAIL_SLOW_TESTS"] == "1" ? [1, 2, 2, 4] : [1, 2]
}

/// What the goldens mask: the parts of an output that change from run to run or machine to machine. Each rule
/// replaces a value with a placeholder where it stands (no line or field is dropped); the list is the one in the
/// goldens' README.md.
enum GoldenMask {
    /// (what, pattern, template). Patterns are anchored on the text around the value so they touch nothing else.
    static let rules: [(String, NSRegularExpression, String)] = [
        // scan text: the last summary line (duration, throughput, job count, decompressor and zlib version).
        ("scan text Speed line",
         re(#"(?m)^Speed:     [0-9.]+ s, [0-9.]+ MB/s, [0-9]+ records/s \([0-9]+ jobs, [^\n]*\)$"#),
         "Speed:     <SECONDS> s, <MB/S> MB/s, <RECORDS/S> records/s (<JOBS> jobs, <DECOMPRESSOR>)"),
        // scan json: the "performance" object's timing, job count and decompressor (byte counts are kept).
        ("scan json seconds", re(#"(?m)^(    "seconds": )[0-9.e+-]+(,?)$"#), #"$1"<SECONDS>"$2"#),
        ("scan json recordsPerSecond", re(#"(?m)^(    "recordsPerSecond": )[0-9.e+-]+(,?)$"#), #"$1"<RECORDS/S>"$2"#),
        ("scan json mbPerSecond", re(#"(?m)^(    "mbPerSecond": )[0-9.e+-]+(,?)$"#), #"$1"<MB/S>"$2"#),
        ("scan json jobs", re(#"(?m)^(    "jobs": )[0-9]+(,?)$"#), #"$1"<JOBS>"$2"#),
        ("scan json decompressor", re(#"(?m)^(    "decompressor": )"[^"\n]*"(,?)$"#), #"$1"<DECOMPRESSOR>"$2"#),
        // scan ocsf: "time" (when the finding is reported: now) and the product version.
        ("ocsf time", re(#"("type_name":"Detection Finding: [A-Za-z]+","time":)[0-9]+"#), #"$1"<NOW>""#),
        ("ocsf product version", re(#"("vendor_name":"AgentTrail","version":)"[^"]*""#), #"$1"<VERSION>""#),
        // lint: the IAM catalogue's version (last text line, "catalogue" in JSON).
        ("lint catalogue line", re(#"(?m)^IAM catalogue: .*$"#), "IAM catalogue: <CATALOGUE>"),
        ("lint json catalogue", re(#"(?m)^(  "catalogue" : )"[^"\n]*"(,?)$"#), #"$1"<CATALOGUE>"$2"#),
    ]

    static func re(_ pattern: String) -> NSRegularExpression {
        // The patterns are literals: a bad one is a bug in this file.
        try! NSRegularExpression(pattern: pattern)
    }

    /// `text` with the checkout's absolute path replaced by `<ROOT>` (also in its JSON-escaped `\/` form), then every
    /// rule applied.
    static func apply(_ text: String) -> String {
        let root = TestPaths.packageRoot
        var out = text.replacingOccurrences(of: root + "/", with: "<ROOT>/")
            .replacingOccurrences(of: root.replacingOccurrences(of: "/", with: "\\/") + "\\/", with: "<ROOT>\\/")
        for (_, regex, template) in rules {
            out = regex.stringByReplacingMatches(in: out, range: NSRange(out.startIndex..., in: out), withTemplate: template)
        }
        return out
    }
}
