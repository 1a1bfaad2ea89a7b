/// RFC 3986 percent-encoding as SigV4 and AWS paths use it.
public enum URIEncoding {
    @inline(__always)
    static func isUnreserved(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
            UInt8(ascii: "~"):
            return true
        default: return false
        }
    }

    private static let hex: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// Encodes every byte outside the unreserved set (`/` too unless `keepSlash`).
    public static func encode(_ s: some StringProtocol, keepSlash: Bool = false, keepPercent: Bool = false) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        for b in s.utf8 {
            if isUnreserved(b) || (keepSlash && b == UInt8(ascii: "/")) || (keepPercent && b == UInt8(ascii: "%")) {
                out.append(b)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Percent-decodes; `+` stays `+` (AWS query strings are not form-encoded). Invalid escapes
    /// are kept literally rather than rejected, as AWS front ends do.
    public static func decode(_ s: some StringProtocol) -> String {
        let utf8 = Array(s.utf8)
        guard utf8.contains(UInt8(ascii: "%")) else { return String(s) }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        var i = 0
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "%"), i + 2 < utf8.count,
                let h = hexValue(utf8[i + 1]), let l = hexValue(utf8[i + 2])
            {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(utf8[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Splits a raw path into decoded segments. Splitting happens before decoding so an ARN
    /// label with `%2F` stays one segment (wire.md §2.4).
    public static func pathSegments(_ rawPath: String) -> [String] {
        rawPath.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true).map { decodeBytes($0) }
    }

    /// Percent-decodes UTF-8 bytes (the fast path when there is nothing to decode).
    static func decodeBytes(_ bytes: Substring.UTF8View) -> String {
        guard bytes.contains(UInt8(ascii: "%")) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i != bytes.endIndex {
            let b = bytes[i]
            if b == UInt8(ascii: "%") {
                let h = bytes.index(after: i)
                if h != bytes.endIndex {
                    let l = bytes.index(after: h)
                    if l != bytes.endIndex, let hv = hexValue(bytes[h]), let lv = hexValue(bytes[l]) {
                        out.append(hv << 4 | lv)
                        i = bytes.index(after: l)
                        continue
                    }
                }
            }
            out.append(b)
            i = bytes.index(after: i)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses a raw query string into decoded (name, value) pairs in order.
    public static func queryItems(_ rawQuery: String) -> [(name: String, value: String)] {
        guard !rawQuery.isEmpty else { return [] }
        return Substring(rawQuery).utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true).map { pair in
            if let eq = pair.firstIndex(of: UInt8(ascii: "=")) {
                return (decodeBytes(pair[..<eq]), decodeBytes(pair[pair.index(after: eq)...]))
            }
            return (decodeBytes(pair), "")
        }
    }
}
