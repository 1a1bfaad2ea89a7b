import AWSWire
import Foundation
import ServiceKit

/// The bucket and key a request names: path style (`/bucket/key`), or virtual-hosted style
/// when the Host names the bucket (`bucket.localhost:4566`, `bucket.s3.<anything>`).
struct S3Address: Equatable {
    var bucket: String?
    /// Decoded; empty for bucket-level requests.
    var key: String

    init(bucket: String?, key: String) {
        self.bucket = bucket
        self.key = key
    }

    init(path: String, host: String?) {
        if let host, let bucket = S3VirtualHost.bucket(inHost: host) {
            self.bucket = bucket
            key = Self.decodeKey(path.utf8.first == UInt8(ascii: "/") ? String(path.dropFirst()) : path)
            return
        }
        var rest = Substring(path)
        if rest.first == "/" { rest = rest.dropFirst() }
        guard !rest.isEmpty else {
            self.bucket = nil
            key = ""
            return
        }
        if let slash = rest.firstIndex(of: "/") {
            bucket = URIEncoding.decode(rest[..<slash])
            key = Self.decodeKey(String(rest[rest.index(after: slash)...]))
        } else {
            bucket = URIEncoding.decode(rest)
            key = ""
        }
    }

    static func decodeKey(_ raw: String) -> String { URIEncoding.decode(raw) }

    /// The key as the request target spells it, still percent-encoded: `..` written as such is
    /// a path step a client should have resolved, `%2E%2E` is two dots of a key.
    static func rawKey(path: String, host: String?) -> Substring {
        var rest = Substring(path)
        if rest.first == "/" { rest = rest.dropFirst() }
        if let host, S3VirtualHost.bucket(inHost: host) != nil { return rest }
        guard let slash = rest.firstIndex(of: "/") else { return "" }
        return rest[rest.index(after: slash)...]
    }

    /// Whether the `..` segments of a raw key, read left to right, climb above the bucket
    /// (`../x`); `a/../b` is an ordinary key. Clients resolve such steps before they send
    /// (RFC 3986 §5.2.4), so one that arrives unresolved is refused as an unreadable URI rather
    /// than resolved into another bucket; spelled `%2E%2E` it is data and stored as the key.
    static func climbsOutOfBucket(_ key: Substring) -> Bool {
        var depth = 0
        for segment in key.split(separator: "/", omittingEmptySubsequences: false) {
            if segment == ".." {
                depth -= 1
                if depth < 0 { return true }
            } else if segment != "." {
                depth += 1
            }
        }
        return false
    }

    /// S3's bucket naming rules (general purpose buckets).
    static func isValidBucketName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (3...63).contains(bytes.count) else { return false }
        func isLowerAlnum(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) }
        guard isLowerAlnum(bytes.first!), isLowerAlnum(bytes.last!) else { return false }
        guard bytes.allSatisfy({ isLowerAlnum($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }) else { return false }
        if name.contains("..") || name.contains(".-") || name.contains("-.") { return false }
        if name.hasPrefix("xn--") || name.hasPrefix("sthree-") || name.hasSuffix("-s3alias") || name.hasSuffix("--ol-s3") { return false }
        let parts = name.split(separator: ".")
        if parts.count == 4, parts.allSatisfy({ Int($0).map { (0...255).contains($0) } ?? false }) { return false }
        return true
    }
}
