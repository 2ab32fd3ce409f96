/// How a configured principal pattern (`principals[].pattern`, `agentRoles`, suppressions' `principal`) or a
/// `--principal` value is compared with a principal.
///
/// A pattern with a `:` is an ARN pattern and is matched against the whole principal key (`*` and `?` wildcards,
/// `Glob.matches`). A pattern without one is a name: it is matched against the last path component of a role or
/// user ARN — for an assumed-role session that is `sessionContext.sessionIssuer.userName`, the role's name without
/// its path (AWS doc "CloudTrail userIdentity element": `sessionIssuer` "userName — The friendly name of the user or
/// role that issued the session") — so `AgentCoreRuntime-*` matches
/// `arn:aws:iam::111122223333:role/service-role/AgentCoreRuntime-support-bot`.
public enum PrincipalPattern {
    /// True when `pattern` matches the principal key `principal` (an ARN or synthetic key).
    public static func matches(_ pattern: String, _ principal: String) -> Bool {
        if Glob.matches(pattern, principal) { return true }
        guard !pattern.utf8.contains(UInt8(ascii: ":")), let name = name(of: principal) else { return false }
        return Glob.matches(pattern, name)
    }

    /// The role or user name of an IAM role/user ARN or an STS assumed-role ARN (its role name); nil otherwise.
    public static func name(of arn: String) -> String? {
        guard let a = ARN(arn) else { return nil }
        let parts = a.resource.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 2 else { return nil }
        switch parts[0] {
        case "role", "user": return parts.last.map(String.init)
        case "assumed-role": return parts.count >= 3 ? String(parts[1]) : nil
        default: return nil
        }
    }
}
