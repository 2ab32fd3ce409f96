import AgentTrail
import ArgumentParser

/// `agenttrail detectors`: the shipped detectors, their default severities and thresholds (from their descriptors).
struct DetectorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detectors",
        abstract: "List the detectors, their default severities and the thresholds the config may set."
    )

    @Option(help: "text | markdown (Docs/Detectors.md) | json.")
    var format: DetectorReference.Format = .text

    func run() throws {
        Terminal.writeStdout(DetectorReference.render(DetectorRegistry.descriptors, format: format))
    }
}

extension DetectorReference.Format: ExpressibleByArgument {}
