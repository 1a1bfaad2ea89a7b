import COpenSSL
import CZlib

/// SHA-256, HMAC-SHA256 and MD5 from libcrypto; CRC-32 from zlib (the exact CRC the
/// event-stream spec and S3's `x-amz-checksum-crc32` use).
public enum Digest {
    public static func sha256(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        withContiguous(bytes) { buffer in
            _ = SHA256(buffer.baseAddress, buffer.count, &out)
        }
        return out
    }

    public static func sha256Hex(_ bytes: some Collection<UInt8>) -> String { hex(sha256(bytes)) }
    public static func sha256Hex(_ string: String) -> String { hex(sha256(Array(string.utf8))) }

    /// Compares secrets (signatures, tokens) in time that depends on their length only, so
    /// timing reveals nothing of how much of a guess was right.
    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }

    public static func hmacSHA256(key: some Collection<UInt8>, _ message: some Collection<UInt8>) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 32
        withContiguous(key) { k in
            withContiguous(message) { m in
                _ = HMAC(EVP_sha256(), k.baseAddress, Int32(k.count), m.baseAddress, m.count, &out, &length)
            }
        }
        return out
    }

    public static func hmacSHA256(key: some Collection<UInt8>, _ message: String) -> [UInt8] {
        hmacSHA256(key: key, Array(message.utf8))
    }

    /// The lowercase hex digest under one of the names Step Functions' `States.Hash` and
    /// `$hash` accept (`MD5`, `SHA-1`, `SHA-256`, `SHA-384`, `SHA-512`); nil for another name.
    public static func hex(algorithm: String, _ bytes: [UInt8]) -> String? {
        let md: OpaquePointer?
        switch algorithm {
        case "MD5": md = EVP_md5()
        case "SHA-1": md = EVP_sha1()
        case "SHA-256": md = EVP_sha256()
        case "SHA-384": md = EVP_sha384()
        case "SHA-512": md = EVP_sha512()
        default: return nil
        }
        var out = [UInt8](repeating: 0, count: 64)
        var length: UInt32 = 0
        bytes.withUnsafeBufferPointer { b in _ = EVP_Digest(b.baseAddress, b.count, &out, &length, md, nil) }
        return hex(Array(out.prefix(Int(length))))
    }

    public static func md5(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 16)
        var length: UInt32 = 16
        withContiguous(bytes) { buffer in
            _ = EVP_Digest(buffer.baseAddress, buffer.count, &out, &length, EVP_md5(), nil)
        }
        return out
    }

    /// Standard CRC-32 (ISO-HDLC), optionally continuing from a previous value.
    public static func crc32(_ bytes: some Collection<UInt8>, continuing previous: UInt32 = 0) -> UInt32 {
        withContiguous(bytes) { buffer in
            UInt32(CZlib.crc32(UInt(previous), buffer.baseAddress, UInt32(buffer.count)))
        }
    }

    public static func crc32(_ buffer: UnsafeRawBufferPointer, continuing previous: UInt32 = 0) -> UInt32 {
        UInt32(CZlib.crc32(UInt(previous), buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt32(buffer.count)))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in bytes {
            out.append(hexDigits[Int(b >> 4)])
            out.append(hexDigits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let emptyByte: [UInt8] = [0]

    @inline(__always)
    static func withContiguous<R>(_ bytes: some Collection<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let r = bytes.withContiguousStorageIfAvailable({ buffer -> R in
            // Some C APIs dislike a nil base address for empty input.
            buffer.baseAddress == nil ? emptyByte.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[0..<0])) } : body(buffer)
        }) {
            return r
        }
        return Array(bytes).withUnsafeBufferPointer { body($0) }
    }
}
