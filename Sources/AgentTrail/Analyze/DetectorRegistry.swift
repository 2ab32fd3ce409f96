/// Every detector AgentTrail ships, in the order of the detection reference.
public enum DetectorRegistry {
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
}
