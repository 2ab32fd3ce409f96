/// The names a `--principal` pattern is compared with, taken from a record's `userIdentity`.
public enum PrincipalNames {
    /// ARN of the caller, role ARN behind a session (`identityKey`), session issuer ARN, role name, user name,
    /// `sessionIssuer.userName`, session name, principal id and `invokedBy`, without duplicates or empty values.
    public static func of(_ p: Principal) -> [String] {
        var out: [String] = []
        func add(_ s: String?) {
            if let s, !s.isEmpty, !out.contains(s) { out.append(s) }
        }
        add(p.arn)
        add(p.identityKey)
        add(p.sessionIssuerArn)
        for arn in [p.sessionIssuerArn, p.identityKey, p.arn] {
            if let arn, let name = lastName(arn, after: ":role/") { add(name) }
            if let arn, let name = lastName(arn, after: ":user/") { add(name) }
        }
        add(p.userName)
        add(p.sessionIssuerUserName)
        add(p.sessionName)
        add(p.principalId)
        add(p.invokedBy)
        return out
    }

    /// The last `/` component of the resource following `marker` (`:role/path/Name` → `Name`).
    static func lastName(_ arn: String, after marker: String) -> String? {
        guard let r = arn.range(of: marker) else { return nil }
        let rest = arn[r.upperBound...]
        guard let name = rest.split(separator: "/", omittingEmptySubsequences: false).last, !name.isEmpty else { return nil }
        return String(name)
    }

    /// A short display form: the resource part of an ARN (`role/Name`, `user/alice`, `assumed-role/R/s`),
    /// `root` for the root user, otherwise the key as is.
    public static func short(_ key: String) -> String {
        guard let a = ARN(key) else { return key }
        return a.resource.isEmpty ? key : a.resource
    }
}
