/// An object key compared as S3 compares keys: by their UTF-8 bytes. (Swift's `String`
/// equality merges canonically equivalent texts, which S3 keeps apart.)
struct ObjectKey: Hashable, Comparable, Sendable {
    let bytes: [UInt8]

    init(_ key: String) { bytes = Array(key.utf8) }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    static func < (a: ObjectKey, b: ObjectKey) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }

    func hasPrefix(_ prefix: [UInt8]) -> Bool { bytes.starts(with: prefix) }
}

/// A bucket's objects with their keys kept sorted, so listings page in key order without
/// sorting the whole bucket each time.
struct BucketContents: Sendable {
    var info: BucketInfo
    var objects: [ObjectKey: StoredObject] = [:]
    private(set) var sortedKeys: [ObjectKey] = []

    init(info: BucketInfo) { self.info = info }

    /// The index of the first key not below `key`.
    func lowerBound(_ key: [UInt8]) -> Int {
        var low = 0, high = sortedKeys.count
        while low < high {
            let mid = (low + high) / 2
            if sortedKeys[mid].bytes.lexicographicallyPrecedes(key) { low = mid + 1 } else { high = mid }
        }
        return low
    }

    mutating func insert(_ object: StoredObject) {
        let key = ObjectKey(object.key)
        if objects.updateValue(object, forKey: key) == nil {
            sortedKeys.insert(key, at: lowerBound(key.bytes))
        }
    }

    @discardableResult
    mutating func remove(_ key: ObjectKey) -> StoredObject? {
        guard let removed = objects.removeValue(forKey: key) else { return nil }
        let at = lowerBound(key.bytes)
        if at < sortedKeys.count, sortedKeys[at] == key { sortedKeys.remove(at: at) }
        return removed
    }
}
