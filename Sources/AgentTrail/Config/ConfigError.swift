/// A problem in the configuration file, naming the file, the line (1-based) and the key path
/// (`agenttrail.yml:12: unknown key 'detectors.denied-burst.distinctActionz'`).
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// The file could not be read.
        case unreadable
        /// The text is not valid YAML.
        case syntax
        /// The file is larger than `AgentTrailConfig.maxBytes`, or has more than `AgentTrailConfig.maxNodes` nodes
        /// once aliases are expanded.
        case tooLarge
        /// A key that the schema does not have.
        case unknownKey
        /// The same key twice in one mapping.
        case duplicateKey
        /// A value of the wrong kind (a list where a mapping is expected, text where a number is expected, ...).
        case wrongType
        /// A required key is missing (`principals[].match`, `suppressions[].reason`, ...).
        case missingKey
        case invalidCIDR
        case invalidSeverity
        /// Not a `YYYY-MM-DD` date.
        case invalidDate
        /// A number outside its allowed range (`baseline.fraction` must be in (0, 1), ...).
        case outOfRange
        /// A detector id that no shipped detector has (`DetectorRegistry.descriptors`).
        case unknownDetector
        /// A threshold name the detector does not read.
        case unknownThreshold
        /// Any other invalid value (empty string, ...).
        case invalidValue
    }

    public var code: Code
    /// What is wrong, including the key path.
    public var message: String
    /// The config file as given to `load(path:)` / `parse(yaml:file:)`.
    public var file: String
    /// 1-based line of the offending key or value, when known.
    public var line: Int?
    /// Dotted key path (`detectors.denied-burst.distinctActions`, `principals[1].trustedCIDRs[0]`); empty for the root.
    public var keyPath: String

    public init(code: Code, message: String, file: String, line: Int?, keyPath: String) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.keyPath = keyPath
    }

    /// `file:line: message` (or `file: message` without a line).
    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
