/// `sourceIPAddress`: an IP, or an AWS service name such as `bedrock-agentcore.amazonaws.com`
/// or `AWS Internal`, which are not IP calls.
public enum SourceAddress: Hashable, Sendable, CustomStringConvertible {
    case ip(IPAddress)
    case service(String)
    case none

    /// Classifies the text of `sourceIPAddress`.
    public init(_ text: String?) {
        guard let text, !text.isEmpty else { self = .none; return }
        if let ip = IPAddress(text) { self = .ip(ip) } else { self = .service(text) }
    }

    public var ip: IPAddress? { if case .ip(let a) = self { return a } else { return nil } }

    public var description: String {
        switch self {
        case .ip(let a): return a.description
        case .service(let s): return s
        case .none: return ""
        }
    }
}
