/// Every detector AgentTrail ships, in the order of the detection reference.
public enum DetectorRegistry {
    /// The descriptors of every reported detector, in reference order (`agenttrail detectors`, Docs/Detectors.md):
    /// the record detectors of `all()` and the policy detectors `PolicyContextLoader` adds.
    public static let descriptors: [DetectorDescriptor] = [
        UnknownSourceIPDetector.descriptor,
        DeniedCallsDetector.descriptor,
        DeniedBurstDetector.descriptor,
        UnusedGrantedActionDetector.descriptor,
        OverBroadGrantDetector.descriptor,
        BedrockReconDetector.descriptor,
        ModelAccessChangeDetector.descriptor,
        BedrockGuardrailOrLoggingChangeDetector.descriptor,
        AuditTamperingDetector.descriptor,
        LongTermCredentialsDetector.descriptor,
        AgentRoleOutsideRuntimeDetector.descriptor,
        RootActivityDetector.descriptor,
        WeakTLSDetector.descriptor,
        VPCEndpointBypassDetector.descriptor,
        NewRegionDetector.descriptor,
        NewModelDetector.descriptor,
        InvocationSpikeDetector.descriptor,
        CrossAccountAccessDetector.descriptor,
        SigmaRulesDetector.descriptor,
    ]

    private static let byId: [String: DetectorDescriptor] =
        Dictionary(uniqueKeysWithValues: descriptors.map { ($0.id.rawValue, $0) })

    /// The descriptor of the detector named `id`, or nil when no shipped detector has that id.
    public static func descriptor(for id: String) -> DetectorDescriptor? { byId[id] }

    /// All ids, in reference order.
    public static var ids: [DetectorID] { descriptors.map(\.id) }

    /// All detectors; those that compare against baselines take the stored baselines when a state store is used.
    /// Policy-based detectors are added by `PolicyDetectors` when policies are given.
    public static func all(storedBaselines: (any StoredBaselines)? = nil) -> [any Detector] {
        [
            UnknownSourceIPDetector(storedBaselines: storedBaselines),
            DeniedCallsDetector(),
            DeniedBurstDetector(),
            BedrockReconDetector(storedBaselines: storedBaselines),
            ModelAccessChangeDetector(),
            BedrockGuardrailOrLoggingChangeDetector(),
            AuditTamperingDetector(),
            LongTermCredentialsDetector(),
            AgentRoleOutsideRuntimeDetector(storedBaselines: storedBaselines),
            RootActivityDetector(),
            WeakTLSDetector(),
            VPCEndpointBypassDetector(storedBaselines: storedBaselines),
            NewRegionDetector(storedBaselines: storedBaselines),
            NewModelDetector(storedBaselines: storedBaselines),
            InvocationSpikeDetector(storedBaselines: storedBaselines),
            CrossAccountAccessDetector(),
        ]
    }

    /// The Sigma rules detector for `rules` (nil when there are none): added by the commands that scan.
    public static func ruleDetector(_ rules: RuleSet) -> (any Detector)? {
        rules.isEmpty ? nil : SigmaRulesDetector(rules: rules)
    }

    /// The policy-based detectors (`needsPolicies`), for the policies `--policies` loaded.
    public static func policyDetectors(_ loaded: PolicyContextLoader.Loaded) -> [any Detector] {
        [UnusedGrantedActionDetector(), OverBroadGrantDetector(lint: loaded.lint)]
    }
}
