import COpenSSL
import JSONCore

/// S3's additional checksums (`x-amz-checksum-<name>`, base64 of the big-endian digest).
public enum ChecksumAlgorithm: String, Sendable, CaseIterable {
    case crc32 = "CRC32"
    case crc32c = "CRC32C"
    case crc64nvme = "CRC64NVME"
    case sha1 = "SHA1"
    case sha256 = "SHA256"

    /// The header carrying it: `x-amz-checksum-crc32`, …
    public var headerName: String { "x-amz-checksum-\(rawValue.lowercased())" }
    /// The XML element carrying it: `ChecksumCRC32`, …
    public var elementName: String { "Checksum\(rawValue)" }

    public init?(headerName: String) {
        let lower = headerName.lowercased()
        guard lower.hasPrefix("x-amz-checksum-") else { return nil }
        self.init(rawValue: String(lower.dropFirst(15)).uppercased())
    }

    public func digest(_ bytes: [UInt8]) -> [UInt8] {
        switch self {
        case .crc32: return Self.bigEndian(UInt64(Digest.crc32(bytes)), bytes: 4)
        case .crc32c: return Self.bigEndian(UInt64(CRCTable.crc32c.checksum(bytes)), bytes: 4)
        case .crc64nvme: return Self.bigEndian(CRCTable.crc64nvme.checksum(bytes), bytes: 8)
        case .sha1:
            var out = [UInt8](repeating: 0, count: 20)
            bytes.withUnsafeBufferPointer { _ = SHA1($0.baseAddress, $0.count, &out) }
            return out
        case .sha256: return Digest.sha256(bytes)
        }
    }

    /// Base64 of the digest, as the header carries it.
    public func value(_ bytes: [UInt8]) -> String { Base64.encode(digest(bytes)) }

    static func bigEndian(_ value: UInt64, bytes: Int) -> [UInt8] {
        (0..<bytes).map { UInt8(truncatingIfNeeded: value >> UInt64(8 * (bytes - 1 - $0))) }
    }
}

/// Reflected CRCs by table: CRC-32C (Castagnoli) and CRC-64/NVME, which zlib lacks.
struct CRCTable: Sendable {
    let table: [UInt64]
    let width: Int

    init(reflectedPolynomial: UInt64, width: Int) {
        self.width = width
        table = (0..<256).map { n in
            var c = UInt64(n)
            for _ in 0..<8 { c = c & 1 == 1 ? (c >> 1) ^ reflectedPolynomial : c >> 1 }
            return c
        }
    }

    static let crc32c = CRCTable(reflectedPolynomial: 0x82F6_3B78, width: 32)
    static let crc64nvme = CRCTable(reflectedPolynomial: 0x9A6C_9329_AC4B_C9B5, width: 64)

    func checksum(_ bytes: [UInt8]) -> UInt64 {
        let mask: UInt64 = width == 64 ? .max : (1 << UInt64(width)) - 1
        var crc = mask
        for b in bytes { crc = table[Int((crc ^ UInt64(b)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ mask
    }
}
