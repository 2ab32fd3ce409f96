import Testing
@testable import AgentTrailStore

@Test func schemaVersionIsPositive() { #expect(AgentTrailStoreInfo.schemaVersion >= 1) }
