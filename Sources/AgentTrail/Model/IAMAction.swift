/// An IAM action such as `bedrock:InvokeModel`. Equality and hashing ignore case, as IAM does;
/// `description` keeps the spelling it was created with (normally the catalogue's).
public struct IAMAction: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The parts, made once and shared by every copy: an action is copied into dictionaries, sets and arrays per
    /// granted action and per record, and with three strings inline each copy retained and released three objects
    /// (a third of the grants' derivation was reference counting). Immutable: an action is never changed in place.
    private final class Storage: Sendable {
        let prefix: String
        let name: String
        /// Lowercased `prefix:name`.
        let key: String
        /// `key.hashValue`, made once: actions key the usage model's and the grants' dictionaries, looked up per
        /// record and per granted action.
        let keyHash: Int
        /// The key is ASCII (then it is the description with ASCII letters folded).
        let keyIsASCII: Bool

        init(prefix: String, name: String, key: String, keyIsASCII: Bool) {
            self.prefix = prefix
            self.name = name
            self.key = key
            self.keyHash = key.hashValue
            self.keyIsASCII = keyIsASCII
        }

        /// A second object with the same parts (the strings shared, the hash not made again).
        init(copying other: Storage) {
            prefix = other.prefix
            name = other.name
            key = other.key
            keyHash = other.keyHash
            keyIsASCII = other.keyIsASCII
        }
    }

    private let storage: Storage

    private init(storage: Storage) { self.storage = storage }

    /// The same action (equal, same hash, same spelling) in an object of its own, for a table one thread uses per
    /// record. The catalogue's actions are shared by every worker, and a loop over a record's actions retains each:
    /// two workers retaining one object make its reference count move between their cores on every record (at 2
    /// jobs `UsageAccumulator.count` took 4× its 1-job time in `swift_retain`). Equality falls back to the key, so
    /// copies and the catalogue's action key the same dictionary entries.
    func unshared() -> IAMAction { IAMAction(storage: Storage(copying: storage)) }

    /// True when both are the same object (copies of one action), not only equal.
    func sharesStorage(with other: IAMAction) -> Bool { storage === other.storage }

    /// Service prefix, e.g. `bedrock-agentcore`.
    public var prefix: String { storage.prefix }
    /// Action name, e.g. `InvokeAgentRuntime`.
    public var name: String { storage.name }
    private var key: String { storage.key }
    private var keyHash: Int { storage.keyHash }

    public init(prefix: String, name: String) {
        if let key = StringBytes.lowercasedASCII(prefix, ":", name) {
            storage = Storage(prefix: prefix, name: name, key: key, keyIsASCII: true)
        } else {
            // (Unicode lowercasing can make ASCII of what was not, e.g. the Kelvin sign: the key itself decides.)
            let key = (prefix + ":" + name).lowercased()
            storage = Storage(prefix: prefix, name: name, key: key, keyIsASCII: key.utf8.allSatisfy { $0 < 0x80 })
        }
    }

    /// Parses `prefix:Name`; nil without exactly one colon or with an empty side.
    public init?(_ text: some StringProtocol) {
        // (On the UTF-8 view: a colon is one byte, and `split` allocated an array of pieces per call.)
        let utf8 = text.utf8
        guard let colon = utf8.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let after = utf8.index(after: colon)
        guard colon != utf8.startIndex, after != utf8.endIndex, !utf8[after...].contains(UInt8(ascii: ":")) else { return nil }
        self.init(prefix: String(text[..<colon]), name: String(text[after...]))
    }

    /// Lowercased `prefix:name`, the identity used for comparison.
    public var normalized: String { key }

    /// The hash equality goes with, made once (`ActionIndex` probes by it).
    var foldedHash: Int { keyHash }

    public static func == (lhs: IAMAction, rhs: IAMAction) -> Bool {
        lhs.storage === rhs.storage || (lhs.keyHash == rhs.keyHash && lhs.key == rhs.key)
    }
    public func hash(into hasher: inout Hasher) { hasher.combine(keyHash) }
    /// Dictionaries and sets use the stored hash with their seed (as `HashedString` does).
    public func _rawHashValue(seed: Int) -> Int { keyHash ^ seed }
    public static func < (lhs: IAMAction, rhs: IAMAction) -> Bool { lhs.key < rhs.key }
    public var description: String { prefix + ":" + name }

    /// `glob.matches(description)` for a case-insensitive `glob`, without building the description: when the key
    /// is ASCII it is the description with ASCII letters folded, which is what such a glob compares.
    func matches(caseInsensitive glob: Glob) -> Bool {
        guard storage.keyIsASCII else { return glob.matches(description) }
        return StringBytes.withUTF8(storage.key) { glob.matches($0) }
    }

    /// True when the key (lowercased `prefix:name`) starts with `bytes`.
    func keyHasPrefix(_ bytes: [UInt8]) -> Bool {
        StringBytes.withUTF8(storage.key) { k in
            guard k.count >= bytes.count else { return false }
            for i in 0..<bytes.count where k[i] != bytes[i] { return false }
            return true
        }
    }
}
