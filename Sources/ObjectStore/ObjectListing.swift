/// One page of ListObjectsV2 (or ListObjects): keys under a prefix, those past a delimiter
/// rolled up into common prefixes, in UTF-8 key order.
public struct ObjectListing: Sendable {
    public init() {}
    public var objects: [StoredObject] = []
    public var commonPrefixes: [String] = []
    public var isTruncated = false
    /// The last key or common prefix this page returned; the next page starts after it.
    public var lastReturned: String?
}

extension BucketContents {
    /// Keys and common prefixes count together against `maxKeys`, as in S3. `startAfter` is
    /// exclusive; a common prefix that sorts after it but contains it is not returned again.
    func list(prefix: String, delimiter: String?, startAfter: String?, maxKeys: Int) -> ObjectListing {
        var listing = ObjectListing()
        let prefixBytes = Array(prefix.utf8)
        let delimiterBytes = delimiter.flatMap { $0.isEmpty ? nil : Array($0.utf8) }
        var index = lowerBound(prefixBytes)
        if let startAfter {
            let after = Array(startAfter.utf8)
            if !after.lexicographicallyPrecedes(prefixBytes) {
                index = lowerBound(after)
                if index < sortedKeys.count, sortedKeys[index].bytes == after { index += 1 }
            }
        }
        var count = 0
        var lastPrefix: [UInt8]?
        while index < sortedKeys.count {
            let key = sortedKeys[index]
            guard key.hasPrefix(prefixBytes) else { break }
            if let delimiterBytes, let rolled = Self.commonPrefix(of: key.bytes, after: prefixBytes.count, delimiter: delimiterBytes) {
                if rolled == lastPrefix || startAfter.map({ Array($0.utf8).starts(with: rolled) }) == true {
                    index += 1
                    continue
                }
                if count == maxKeys {
                    listing.isTruncated = true
                    break
                }
                lastPrefix = rolled
                let text = String(decoding: rolled, as: UTF8.self)
                listing.commonPrefixes.append(text)
                listing.lastReturned = text
                count += 1
                // Skip the rest of this prefix in one step.
                index = lowerBound(rolled + [0xFF, 0xFF, 0xFF, 0xFF])
                continue
            }
            if count == maxKeys {
                listing.isTruncated = true
                break
            }
            if let object = objects[key] {
                listing.objects.append(object)
                listing.lastReturned = object.key
                count += 1
            }
            index += 1
        }
        return listing
    }

    /// The key's prefix up to and including the first delimiter after the listing prefix.
    static func commonPrefix(of key: [UInt8], after start: Int, delimiter: [UInt8]) -> [UInt8]? {
        guard key.count >= start + delimiter.count else { return nil }
        var i = start
        while i + delimiter.count <= key.count {
            if key[i] == delimiter[0], key[i..<(i + delimiter.count)].elementsEqual(delimiter) {
                return Array(key[..<(i + delimiter.count)])
            }
            i += 1
        }
        return nil
    }
}
