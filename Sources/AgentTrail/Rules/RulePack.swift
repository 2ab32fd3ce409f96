import Foundation

/// Where rules come from: AgentTrail's own pack (shipped as a resource, on by default) and the files or folders a
/// user names (`--rules`, the config's `rules:`).
public enum RulePack {
    /// The folder of the shipped pack, when the data files are installed.
    public static var folder: String? {
        guard let base = BundledResources.folder else { return nil }
        let path = base.appendingPathComponent("rules").path
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue ? path : nil
    }

    /// A rule file as findings show it: `pack:<name>` for the shipped pack (whose folder depends on the install),
    /// else the path as given.
    public static func displayName(_ file: String) -> String {
        if let folder = cachedFolder, file.hasPrefix(folder + "/") { return "pack:" + file.dropFirst(folder.count + 1) }
        return file
    }

    private static let cachedFolder: String? = folder

    /// The rule paths of a run: the shipped pack first (unless turned off), then `extra` in order; rules are
    /// deduplicated by id (the first loaded wins).
    public static func paths(extra: [String], includeDefault: Bool) -> [String] {
        (includeDefault ? folder.map { [$0] } ?? [] : []) + extra
    }

    /// The shipped pack alone, loaded once (nil when it is not installed or does not load).
    public static let shipped: RuleSet? = {
        guard let folder else { return nil }
        let (rules, errors) = SigmaRuleLoader.load(paths: [folder])
        return errors.isEmpty ? rules : nil
    }()
}

