import Testing
import AgentTrail

/// Splitting the records across accumulators (any partition, any merge order, nested merges) must give
/// exactly the findings of one accumulator.
@Suite struct BaselineMergeTests {
    enum Split: String, CaseIterable, Sendable {
        case twoForward, twoBackward, threeRotated, threeNested, byFileForward, byFileReversed
    }

    static let cases: [BaselineCase] = BaselineCases.all.filter { !$0.expected.isEmpty }

    @Test(arguments: cases, Split.allCases)
    func splitMatchesSingle(_ c: BaselineCase, split: Split) {
        let records = c.records()
        let context = c.context()
        let single = F.run(c.detector(), records, context: context, agentRoles: c.agentRoles)
        let observed = F.observed(records)
        let merged: [Finding]
        switch split {
        case .twoForward, .twoBackward:
            let parts = partition(observed, into: 2, seed: 7)
            merged = F.runMerged(c.detector(), parts: parts, order: split == .twoForward ? [0, 1] : [1, 0],
                                 allRecords: records, context: context, agentRoles: c.agentRoles)
        case .threeRotated:
            let parts = partition(observed, into: 3, seed: 11)
            merged = F.runMerged(c.detector(), parts: parts, order: [2, 0, 1], allRecords: records, context: context,
                                 agentRoles: c.agentRoles)
        case .threeNested:
            // a ⊕ (b ⊕ c) instead of (a ⊕ b) ⊕ c.
            let parts = partition(observed, into: 3, seed: 13)
            let d = c.detector()
            let accs = parts.map { p -> any DetectorAccumulator in
                let a = d.makeAccumulator(context: context)
                for e in p { a.observe(e) }
                return a
            }
            accs[1].mergeErased(accs[2])
            accs[0].mergeErased(accs[1])
            merged = accs[0].findings(F.facts(records, context: context, agentRoles: c.agentRoles)).sorted { $0.key < $1.key }
        case .byFileForward, .byFileReversed:
            // Contiguous halves (like two files), merged in file order or later-file-first.
            let half = observed.count / 2
            merged = F.runMerged(c.detector(), parts: [Array(observed[..<half]), Array(observed[half...])],
                                 order: split == .byFileForward ? [0, 1] : [1, 0],
                                 allRecords: records, context: context, agentRoles: c.agentRoles)
        }
        #expect(!single.isEmpty)
        #expect(merged == single)
    }

    /// Deterministic pseudo-random assignment of records to `n` parts.
    private func partition(_ items: [ObservedRecord], into n: Int, seed: UInt64) -> [[ObservedRecord]] {
        var state = seed
        var parts = Array(repeating: [ObservedRecord](), count: n)
        for item in items {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            parts[Int((state >> 33) % UInt64(n))].append(item)
        }
        return parts
    }
}
