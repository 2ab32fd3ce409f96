/// AgentTrail's version.
public enum AgentTrailVersion {
    public static let string = "0.1.0"
}
