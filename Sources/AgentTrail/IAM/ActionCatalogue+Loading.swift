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
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch {
            throw LoadError(code: .malformed, message: "catalogue is not valid JSON: \(error)")
        }
        guard let object = root as? [String: Any], let services = object["services"] as? [String: Any] else {
            throw LoadError(code: .malformed, message: "catalogue has no \"services\" object")
        }
        let source = ((object["_meta"] as? [String: Any])?["source"] as? String) ?? ""
        var list = [ServiceInfo]()
        list.reserveCapacity(services.count)
        for (prefix, value) in services {
            guard let service = value as? [String: Any] else { continue }
            let name = service["name"] as? String ?? prefix
            var types = [ResourceTypeInfo]()
            for (typeName, template) in service["resources"] as? [String: Any] ?? [:] {
                if let template = template as? String {
                    types.append(ResourceTypeInfo(prefix: prefix, name: typeName, arnTemplate: template))
                }
            }
            types.sort { $0.name < $1.name }
            var actions = [ActionInfo]()
            for (actionName, entry) in service["actions"] as? [String: Any] ?? [:] {
                guard let entry = entry as? [String: Any] else { continue }
                let access = AccessLevel(rawValue: entry["access"] as? String ?? "") ?? .unknown
                let resources = (entry["resources"] as? [String] ?? []).map { raw -> ResourceRequirement in
                    raw.hasSuffix("*") ? ResourceRequirement(name: String(raw.dropLast()), required: true)
                                       : ResourceRequirement(name: raw, required: false)
                }
                actions.append(ActionInfo(action: IAMAction(prefix: prefix, name: actionName), accessLevel: access,
                                          resourceTypes: resources,
                                          permissionOnly: entry["permissionOnly"] as? Bool ?? false))
            }
            actions.sort { $0.action < $1.action }
            list.append(ServiceInfo(prefix: prefix, name: name, actions: actions, resourceTypes: types))
        }
        return (list, source)
    }
}
