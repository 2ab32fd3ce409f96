import Foundation

extension ActionCatalogue {
    /// Error reading a catalogue file.
    public struct LoadError: Error, CustomStringConvertible, Sendable {
        public enum Code: Sendable { case missingResource, unreadable, malformed }
        public let code: Code
        public let message: String
        public var description: String { message }
    }

    /// Parses a catalogue in the `iam-catalogue-*.json` format
    /// (`{"services": {prefix: {"name", "resources": {type: arnTemplate}, "actions": {Name: {"access", "resources": ["type*"], "permissionOnly"}}}}}`).
    public convenience init(jsonData data: Data) throws {
        let start = DispatchTime.now().uptimeNanoseconds
        let services = try ActionCatalogue.parseServices(data)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        self.init(services: services.list, sourceDescription: services.source, loadDuration: elapsed,
                  sourceByteCount: data.count)
    }

    /// Loads the bundled resource; never traps.
    static func loadBundled() -> ActionCatalogue {
        guard let url = Bundle.module.url(forResource: "iam-catalogue-all", withExtension: "json") else {
            return ActionCatalogue(services: [], sourceDescription: "", loadError: "iam-catalogue-all.json is not in the bundle")
        }
        do {
            let start = DispatchTime.now().uptimeNanoseconds
            let data = try Data(contentsOf: url)
            let parsed = try parseServices(data)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            return ActionCatalogue(services: parsed.list, sourceDescription: parsed.source, loadDuration: elapsed,
                                   sourceByteCount: data.count)
        } catch {
            return ActionCatalogue(services: [], sourceDescription: "", loadError: "\(url.path): \(error)")
        }
    }

    static func parseServices(_ data: Data) throws -> (list: [ServiceInfo], source: String) {
        var scanner = CatalogueScanner([UInt8](data))
        do {
            let parsed = try scanner.parseCatalogue()
            if parsed.services.isEmpty { throw LoadError(code: .malformed, message: "catalogue has no services") }
            return (parsed.services, parsed.source)
        } catch let failure as CatalogueScanner.Failure {
            throw LoadError(code: .malformed, message: "catalogue JSON error at byte \(failure.offset): \(failure.message)")
        }
    }
}
