/// Reduces a CloudTrail `userAgent` to a short family name for baselines: the product token before the first
/// `/` (`Boto3/1.34 md/...` → `boto3`, `aws-cli/2.15 ...` → `aws-cli`), or the whole value when it has no
/// version (`AWS Internal` → `aws internal`, `console.amazonaws.com`), lowercased, brackets trimmed, at most
/// 64 characters.
public enum UserAgentFamily {
    public static func of(_ userAgent: String?) -> String? {
        guard var ua = userAgent?.trimmingBrackets, !ua.isEmpty else { return nil }
        if let slash = ua.firstIndex(of: "/") {
            let head = ua[..<slash]
            let token = head.split(separator: " ").last.map(String.init) ?? String(head)
            ua = token.isEmpty ? String(head) : token
        }
        let family = String(ua.lowercased().prefix(64))
        return family.isEmpty ? nil : family
    }
}

extension String {
    fileprivate var trimmingBrackets: String {
        var s = Substring(self)
        while let c = s.first, c == "[" || c == " " { s = s.dropFirst() }
        while let c = s.last, c == "]" || c == " " { s = s.dropLast() }
        return String(s)
    }
}
