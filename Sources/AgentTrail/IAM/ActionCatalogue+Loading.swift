import Foundation
import Synchronization

extension ActionCatalogue {
    /// Error reading a catalogue file.
    public struct LoadError: Error, CustomStringConvertible, Sendable {
        public enum Code: Sendable { case missingResource, unreadable, malformed }
        public let code: Code
        public let message: String
        public var description: String { message }
    }

    /// Parses a catalogue in the `iam-catalogue-*.json` format (written by `Scripts/refresh-catalogue`):
    /// `{"_meta": {"source", "sourcePackage", "sourceVersion", "sourceDate", ...},
    ///   "services": {prefix: {"name", "conditionKeys": {Key: type}, "resources": {type: arnTemplate},
    ///                         "actions": {Name: {"access", "resources": ["type*"], "conditionKeys": [...],
    ///                                            "dependentActions": [...], "permissionOnly"}}}}}`.
    /// Everything but `name`, `resources` and the action's `access`/`resources` is optional, so older files
    /// (without version fields, condition keys or dependent actions) still load; unknown keys are skipped.
    public convenience init(jsonData data: Data) throws {
        let start = DispatchTime.now().uptimeNanoseconds
        let parsed = try ActionCatalogue.parseServices(data)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        self.init(services: parsed.list, sourceDescription: parsed.meta.source, sourcePackage: parsed.meta.package,
                  sourceVersion: parsed.meta.version, sourceDate: parsed.meta.date, loadDuration: elapsed,
                  sourceByteCount: data.count)
    }

    /// `versionDescription` of the bundled catalogue, read from its `_meta` only (no full load): for `--version`.
    public static func bundledVersionDescription() -> String {
        guard let url = BundledResources.url("iam-catalogue-all", "json"),
              let file = try? FileHandle(forReadingFrom: url) else { return "unavailable (iam-catalogue-all.json is not in the bundle)" }
        defer { try? file.close() }
        // `_meta` comes first and is small: read a head of the file, the whole file only if that is not enough.
        var bytes = [UInt8]((try? file.read(upToCount: 64 * 1024)) ?? Data())
        var scanner = CatalogueScanner(bytes)
        var meta = try? scanner.parseMetaOnly()
        if meta == nil, bytes.count == 64 * 1024, let rest = try? file.readToEnd() {
            bytes += rest
            scanner = CatalogueScanner(bytes)
            meta = try? scanner.parseMetaOnly()
        }
        guard let meta else { return "unreadable" }
        return versionDescription(package: meta.package, version: meta.version, date: meta.date, source: meta.source)
    }

    /// Threads the shipped catalogue is parsed on when it is first loaded: a run that knows its `--jobs` sets it
    /// before it first asks for `shared` (`prepareShared(jobs:)`); 1 otherwise. The result is the same either way.
    static let loadingJobs = Atomic<Int>(1)

    /// Loads `shared` now, parsing its services on up to `jobs` threads (the catalogue is a serial phase before a
    /// scan with policies: ~45 ms of a one-second scan). Nothing happens when it is already loaded.
    static func prepareShared(jobs: Int) {
        loadingJobs.store(max(1, jobs), ordering: .relaxed)
        _ = shared
    }

    /// Starts loading `shared` on a thread of its own (parsing its services on up to `jobs` threads) and returns at
    /// once. For a command that will need the catalogue and has a slow, single-threaded start before it asks
    /// (parsing its arguments, reading its config and policies: ~10 ms): the load then overlaps that start on
    /// another core. Whoever asks for `shared` first afterwards waits for this load (`shared` is loaded once); the
    /// catalogue is the same either way. Nothing happens when it is already loaded or loading.
    public static func startLoading(jobs: Int) {
        guard !loadStarted.exchange(true, ordering: .relaxed) else { return }
        loadingJobs.store(max(1, jobs), ordering: .relaxed)
        let thread = Thread { _ = ActionCatalogue.shared }
        thread.start()
    }

    /// `startLoading` was called (it starts one load at most).
    private static let loadStarted = Atomic<Bool>(false)

    /// Loads the bundled resource; never traps.
    static func loadBundled() -> ActionCatalogue {
        guard let url = BundledResources.url("iam-catalogue-all", "json") else {
            return ActionCatalogue(services: [], sourceDescription: "", loadError: "iam-catalogue-all.json is not in the bundle")
        }
        do {
            let start = DispatchTime.now().uptimeNanoseconds
            // (Read into the array the scanner works on: a `Data` and then an array copied from it were two 3 MB
            // buffers, each paid for in page faults, and a copy.)
            let bytes = try BoundedFile.readBytes(url.path, limit: maxBundledBytes)
            let count = bytes.count
            let parsed = try parseServices(bytes: bytes, jobs: loadingJobs.load(ordering: .relaxed))
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            return ActionCatalogue(services: parsed.list, sourceDescription: parsed.meta.source,
                                   sourcePackage: parsed.meta.package, sourceVersion: parsed.meta.version,
                                   sourceDate: parsed.meta.date, loadDuration: elapsed, sourceByteCount: count)
        } catch {
            return ActionCatalogue(services: [], sourceDescription: "", loadError: "\(url.path): \(error)")
        }
    }

    /// The largest bundled catalogue read (the shipped one is ~3 MB).
    static let maxBundledBytes = 256 << 20

    static func parseServices(_ data: Data, jobs: Int = 1) throws -> (list: [ServiceInfo], meta: CatalogueScanner.Meta) {
        try parseServices(bytes: [UInt8](data), jobs: jobs)
    }

    static func parseServices(bytes: [UInt8], jobs: Int = 1) throws -> (list: [ServiceInfo], meta: CatalogueScanner.Meta) {
        var scanner = CatalogueScanner(bytes)
        do {
            let parsed = try scanner.parseCatalogue(jobs: jobs)
            if parsed.services.isEmpty { throw LoadError(code: .malformed, message: "catalogue has no services") }
            return (parsed.services, parsed.meta)
        } catch let failure as CatalogueScanner.Failure {
            throw LoadError(code: .malformed, message: "catalogue JSON error at byte \(failure.offset): \(failure.message)")
        }
    }
}
