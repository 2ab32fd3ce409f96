#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What identifies a run's rule files on disk without reading them: each file's path, size, inode, modification and
/// status-change times (`stat`), in the order `SigmaRuleLoader` reads them, and the running executable's own. A
/// nightly run that reads no log file has no use for its rules; it still checks them unless this text equals the one
/// recorded when the same files last loaded without error (`StateStore.ruleFilesChecked`). Any change to a file's
/// bytes changes its modification or status-change time (and `chmod`, `touch` or a rename change the latter), a file
/// added to or removed from a rule folder changes the list, and a new build of agenttrail changes its own line, so
/// an edited or broken rule is reported by the next run whether or not it reads logs.
public enum RuleFilesFingerprint {
    /// The fingerprint of the rule files under `paths` (files as given, folders walked as `SigmaRuleLoader.files`
    /// walks them); nil when a path is missing, a folder cannot be listed or a file cannot be `stat`ed (the caller
    /// then loads the rules, which reports what is wrong).
    public static func of(paths: [String]) -> String? {
        let (files, errors) = SigmaRuleLoader.files(paths)
        guard errors.isEmpty, let executable = line("/proc/self/exe", shownAs: "agenttrail " + AgentTrailVersion.string)
        else { return nil }
        var text = executable
        for file in files {
            guard let l = line(file, shownAs: file) else { return nil }
            text += l
        }
        return text
    }

    /// `name size inode mtime ctime` and a line break; nil when `path` cannot be `stat`ed.
    private static func line(_ path: String, shownAs name: String) -> String? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        func ns(_ t: timespec) -> String { String(Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_nsec)) }
        return "\(name)\t\(st.st_size)\t\(st.st_dev):\(st.st_ino)\t\(ns(st.st_mtim))\t\(ns(st.st_ctim))\n"
    }
}
