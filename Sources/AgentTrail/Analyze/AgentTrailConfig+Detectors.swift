extension AgentTrailConfig {
    /// Reads and validates the YAML config at `path` against the shipped detectors (`DetectorRegistry.descriptors`).
    public static func load(path: String) throws -> AgentTrailConfig {
        try load(path: path, detectors: DetectorRegistry.descriptors)
    }

    /// Parses and validates YAML config text against the shipped detectors; `file` is only used in messages.
    public static func parse(yaml: String, file: String) throws -> AgentTrailConfig {
        try parse(yaml: yaml, file: file, detectors: DetectorRegistry.descriptors)
    }
}
