import AgentTrailTestSupport
import Foundation
import Testing
@testable import AgentTrail

/// `SigmaRuleLoader.files` lists what `FileManager`'s enumerator listed (the implementation it replaced, kept here as
/// the reference): hidden entries, links to files and to folders, a folder named like a rule, files of other types,
/// folders nested deeper than 32 levels, a missing path.
@Suite struct RuleFileListTests {
    /// The listing as `FileManager` made it.
    static func reference(_ paths: [String]) -> (files: [String], errors: [String]) {
        var out: [String] = [], errors: [String] = []
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else { errors.append(path); continue }
            if !isDir.boolValue { out.append(path); continue }
            guard let e = fm.enumerator(atPath: path) else { errors.append(path); continue }
            var found: [String] = []
            while let rel = e.nextObject() as? String {
                let name = (rel as NSString).lastPathComponent
                if name.hasPrefix(".") { e.skipDescendants(); continue }
                if e.level > 32 { e.skipDescendants(); continue }
                if name.hasSuffix(".yml") || name.hasSuffix(".yaml") {
                    let full = (path as NSString).appendingPathComponent(rel)
                    var d: ObjCBool = false
                    if fm.fileExists(atPath: full, isDirectory: &d), !d.boolValue { found.append(full) }
                }
            }
            out += found.sorted()
        }
        return (out, errors)
    }

    @Test func sameListAsTheEnumerator() throws {
        let root = try TestPaths.temporaryFolder("rule-file-list")
        defer { TestPaths.remove(root) }
        let fm = FileManager.default
        func file(_ rel: String) throws {
            let url = root.appendingPathComponent(rel)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try "title: x\n".write(to: url, atomically: false, encoding: .utf8)
        }
        let rules = root.appendingPathComponent("rules")
        for rel in ["rules/a.yml", "rules/b.yaml", "rules/notes.txt", "rules/sub/c.yml", "rules/sub/deeper/d.yaml",
                    "rules/.hidden/e.yml", "rules/.f.yml", "rules/z/Y.yml", "other/g.yml", "other/inner/h.yml"] {
            try file(rel)
        }
        try fm.createDirectory(at: rules.appendingPathComponent("folder.yml"), withIntermediateDirectories: true)
        try file("rules/folder.yml/i.yml")
        try fm.createSymbolicLink(atPath: rules.appendingPathComponent("linked.yml").path, withDestinationPath: "../other/g.yml")
        try fm.createSymbolicLink(atPath: rules.appendingPathComponent("linkdir").path, withDestinationPath: "../other")
        try fm.createSymbolicLink(atPath: rules.appendingPathComponent("linkdir.yml").path, withDestinationPath: "../other")
        try fm.createSymbolicLink(atPath: rules.appendingPathComponent("dangling.yml").path, withDestinationPath: "nowhere.yml")
        var deep = "rules/deep"
        for level in 1...35 {
            deep += "/l\(level)"
            try file(deep + "/r.yml")
        }
        let inputs = [rules.path, rules.path + "/", root.appendingPathComponent("other/g.yml").path,
                      root.appendingPathComponent("missing").path]
        for input in inputs {
            let got = SigmaRuleLoader.files([input])
            let want = Self.reference([input])
            #expect(got.files == want.files, "\(input)")
            #expect(got.errors.map(\.file) == want.errors, "\(input)")
        }
        let all = SigmaRuleLoader.files(inputs)
        #expect(all.files == Self.reference(inputs).files)
        #expect(all.files.count > 40)
        // One difference, on purpose: a folder given through a link (`--rules ~/rules`, a link) is walked. The
        // enumerator listed nothing under it, so such a run loaded no rule and said nothing.
        let linked = rules.appendingPathComponent("linkdir").path
        #expect(Self.reference([linked]).files.isEmpty)
        #expect(SigmaRuleLoader.files([linked]).files == [linked + "/g.yml", linked + "/inner/h.yml"])
    }
}
