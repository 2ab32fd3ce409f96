import Foundation

/// The data files shipped with AgentTrail (IAM catalogue, CloudTrail-to-IAM overrides, AWS address ranges), found
/// without trapping: SwiftPM's `Bundle.module` stops the process when its bundle is not where the build put it,
/// which is the case as soon as the binary is copied elsewhere (`cp .build/release/agenttrail /usr/local/bin`) or
/// the checkout is unreadable to the user running it.
///
/// Looked for, in order: `$AGENTTRAIL_RESOURCES` when set (the bundle folder or a folder holding the files; then
/// nowhere else); the bundle
/// `AgentTrail_AgentTrail.resources` beside the executable (symlinks resolved), or in `../share/agenttrail/` from
/// it; beside the main bundle (the test runner); the source checkout's `Sources/AgentTrail/Resources`.
public enum BundledResources {
    /// SwiftPM's name for the target's resource bundle (a plain folder on Linux).
    public static let bundleName = "AgentTrail_AgentTrail.resources"
    /// The file whose presence marks a usable folder.
    static let marker = "iam-catalogue-all.json"

    /// The folder the files are read from, or nil when none of the places holds them.
    public static let folder: URL? = candidates().first { isUsable($0) }

    /// The places looked at, in order (for the error message).
    public static func candidates() -> [URL] {
        var list: [URL] = []
        if let env = ProcessInfo.processInfo.environment["AGENTTRAIL_RESOURCES"], !env.isEmpty {
            let url = URL(fileURLWithPath: env)
            return [url, url.appendingPathComponent(bundleName)]  // explicit: the only place looked at
        }
        var executables: [URL] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            executables.append(URL(fileURLWithPath: exe))
        }
        if let exe = Bundle.main.executableURL { executables.append(exe.resolvingSymlinksInPath()) }
        for exe in executables {
            let dir = exe.deletingLastPathComponent()
            list += [dir.appendingPathComponent(bundleName),
                     dir.appendingPathComponent("../share/agenttrail").standardized,
                     dir.appendingPathComponent("../share/agenttrail/\(bundleName)").standardized]
        }
        list.append(Bundle.main.bundleURL.appendingPathComponent(bundleName))
        // Sources/AgentTrail/Input/BundledResources.swift → Sources/AgentTrail/Resources
        list.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Resources"))
        var seen = Set<String>()
        return list.filter { seen.insert($0.path).inserted }
    }

    static func isUsable(_ dir: URL) -> Bool {
        FileManager.default.isReadableFile(atPath: dir.appendingPathComponent(marker).path)
    }

    /// The shipped file `name.ext`, or nil when the folder is not found or lacks it.
    public static func url(_ name: String, _ ext: String) -> URL? {
        guard let folder else { return nil }
        let url = folder.appendingPathComponent("\(name).\(ext)")
        return FileManager.default.isReadableFile(atPath: url.path) ? url : nil
    }

    /// Why the data cannot be used (nil when it can): names every place looked at and how to fix it.
    public static var problem: String? {
        if folder != nil { return nil }
        let places = candidates().map { "  " + $0.path }.joined(separator: "\n")
        return "AgentTrail's data files (\(bundleName), with the IAM catalogue and AWS address ranges) were not "
            + "found; install that folder beside the agenttrail binary, or set AGENTTRAIL_RESOURCES to it. Looked in:\n"
            + places
    }
}
