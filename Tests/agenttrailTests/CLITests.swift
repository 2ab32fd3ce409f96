import Testing
import AgentTrail

@Test func versionIsSet() { #expect(!AgentTrailVersion.string.isEmpty) }
