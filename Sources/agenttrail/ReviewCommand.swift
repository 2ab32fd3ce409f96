import AgentTrail
import ArgumentParser
import Foundation

/// `agenttrail review`: per principal the used / unused / unknown permissions, findings, right-sized policy and diff.
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Access review: used, unused and unknown permissions per principal, with right-sized policies.")

    @OptionGroup var input: InputOptions
    @OptionGroup var analysis: AnalysisOptions

    @Option(help: "markdown | html | json | csv.")
    var format: ReviewFormat = .markdown

    @Option(help: "Only principals matching this ARN (with or without IAM path, or a session ARN) or name (repeatable).")
    var principal: [String] = []

    @Option(name: [.customShort("o"), .long], help: "Write the report to this file instead of standard output.")
    var output: String?

    @OptionGroup(title: "Shards and partial results") var sharding: ShardOptions

    func run() throws {
        var options = try input.scanOptions(now: Instant.now)
        let shardIndex = try sharding.apply(to: &options, input: input)
        let loaded = try analysis.loadContext(into: &options)
        if let out = sharding.partialPath(shard: shardIndex) {
            for w in loaded.warnings { Terminal.writeStderr("warning: \(w)\n") }
            let pass = AccessReview.passOptions(options, loaded: loaded, sink: ReviewUsageDetector.Sink())
            return try sharding.writePartial(options: pass, rules: nil, analysis: analysis, evidence: true, to: out,
                                             damaged: loaded.damaged, allowDamaged: input.allowDamaged)
        }
        let bar = ProgressBar.makeIfTTY()
        var report: (@Sendable (ScanProgress) -> Void)? = nil
        if let bar { report = { bar.update($0) } }
        let result = AccessReview.run(options, loaded: loaded, progress: report)
        bar?.finish()
        let shown = try Self.only(principal, of: result)
        for w in loaded.warnings { Terminal.writeStderr("warning: \(w)\n") }
        try Self.write(shown, format: format, output: output)
        try Exit.finish(damaged: loaded.damaged + result.damaged, allowDamaged: input.allowDamaged)
    }

    /// The review of the principals matching `principals` only (all when empty); none matching is an error.
    static func only(_ principals: [String], of result: AccessReport) throws -> AccessReport {
        var result = result
        if !principals.isEmpty {
            result.principals = result.principals.filter { r in principals.contains { AccessReview.matches(r, query: $0) } }
            if result.principals.isEmpty { throw CLIError.fatal("no reviewed principal matches \(principals.joined(separator: ", "))") }
        }
        return result
    }

    /// Writes the review in `format` to `output` (nil: standard output).
    static func write(_ result: AccessReport, format: ReviewFormat, output: String?) throws {
        let text: String
        switch format {
        case .markdown: text = result.markdown
        case .html: text = result.html
        case .json: text = result.json.serialized(pretty: true) + "\n"
        case .csv: text = result.csv
        }
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: Data(text.utf8)) else {
                throw CLIError.fatal("cannot write \(output)")
            }
        } else {
            Terminal.writeStdout(text)
        }
    }
}

enum ReviewFormat: String, ExpressibleByArgument, CaseIterable {
    case markdown, html, json, csv
}
