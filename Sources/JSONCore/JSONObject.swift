/// A JSON object that keeps its members in insertion order, as AWS echoes them back.
///
/// Members live in one array (one allocation per object). Lookup is linear for small objects
/// (the common case: a handful of members) and goes through a key index once the object grows,
/// so neither small nor large documents pay for the other.
public struct JSONObject: Sendable {
    public struct Member: Sendable {
        public var key: String
        public var value: JSONValue
    }

    public private(set) var storage: [Member] = []
    private var index: [String: Int]? = nil

    private static let indexThreshold = 12

    public init() {}

    public init(minimumCapacity: Int) { storage.reserveCapacity(minimumCapacity) }

    public init(_ members: [(String, JSONValue)]) {
        storage.reserveCapacity(members.count)
        for (key, value) in members { self[key] = value }
    }

    public var count: Int { storage.count }
    public var isEmpty: Bool { storage.isEmpty }
    public var keys: [String] { storage.map(\.key) }
    public var values: [JSONValue] { storage.map(\.value) }

    public func position(of key: String) -> Int? {
        if let index { return index[key] }
        for i in storage.indices where storage[i].key == key { return i }
        return nil
    }

    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { storage[$0].value } }
        set {
            if let position = position(of: key) {
                if let newValue {
                    storage[position].value = newValue
                } else {
                    removeMember(at: position)
                }
            } else if let newValue {
                append(key, newValue)
            }
        }
    }

    /// Appends a member known not to be present (the parser checks duplicates itself).
    mutating func append(_ key: String, _ value: JSONValue) {
        storage.append(Member(key: key, value: value))
        if index != nil {
            index![key] = storage.count - 1
        } else if storage.count > Self.indexThreshold {
            rebuildIndex()
        }
    }

    public func contains(_ key: String) -> Bool { position(of: key) != nil }

    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let position = position(of: key) else { return nil }
        let old = storage[position].value
        removeMember(at: position)
        return old
    }

    private mutating func removeMember(at position: Int) {
        storage.remove(at: position)
        if index != nil { rebuildIndex() }
    }

    private mutating func rebuildIndex() {
        var built = [String: Int](minimumCapacity: storage.count)
        for (i, member) in storage.enumerated() { built[member.key] = i }
        index = built
    }

    /// The members in order.
    public var members: [(key: String, value: JSONValue)] { storage.map { ($0.key, $0.value) } }
}

extension JSONObject: Sequence {
    public func makeIterator() -> AnyIterator<(key: String, value: JSONValue)> {
        var iterator = storage.makeIterator()
        return AnyIterator { iterator.next().map { ($0.key, $0.value) } }
    }
}

extension JSONObject: Equatable {
    /// Order-insensitive, as JSON object semantics are.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for member in lhs.storage {
            guard let other = rhs[member.key], other == member.value else { return false }
        }
        return true
    }
}

extension JSONObject: Hashable {
    public func hash(into hasher: inout Hasher) {
        // Commutative, so member order does not change the hash (matching ==).
        var combined = 0
        for member in storage {
            var h = Hasher()
            h.combine(member.key)
            h.combine(member.value)
            combined ^= h.finalize()
        }
        hasher.combine(count)
        hasher.combine(combined)
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}
