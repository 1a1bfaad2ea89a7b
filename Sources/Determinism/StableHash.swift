/// FNV-1a 64-bit: a hash that is the same in every process and every run (Swift's `Hasher` is
/// randomly seeded per process, so it cannot key anything that must be reproducible).
public struct StableHash: Sendable {
    public var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    @inlinable
    public mutating func combine(_ bytes: UnsafeRawBufferPointer) {
        var v = value
        for b in bytes {
            v ^= UInt64(b)
            v = v &* 0x0000_0100_0000_01B3
        }
        value = v
    }

    public mutating func combine(_ bytes: [UInt8]) { bytes.withUnsafeBytes { combine($0) } }

    public mutating func combine(_ text: String) {
        var text = text
        text.withUTF8 { combine(UnsafeRawBufferPointer($0)) }
        // A separator byte, so ("ab", "c") and ("a", "bc") differ.
        value ^= 0xFF
        value = value &* 0x0000_0100_0000_01B3
    }

    public mutating func combine(_ number: UInt64) {
        var n = number.littleEndian
        withUnsafeBytes(of: &n) { combine($0) }
    }

    public static func of(_ text: String) -> UInt64 {
        var h = StableHash()
        h.combine(text)
        return h.value
    }
}
