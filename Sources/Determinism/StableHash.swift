/// FNV-1a 64-bit: a hash that is the same in every process and every run (Swift's `Hasher` is
/// randomly seeded per process, so it cannot key anything that must be reproducible).
public struct StableHash: Sendable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func combine(_ bytes: some Sequence<UInt8>) {
        for b in bytes {
            value ^= UInt64(b)
            value = value &* 0x0000_0100_0000_01B3
        }
    }

    public mutating func combine(_ text: String) {
        combine(text.utf8)
        combine([0xFF])  // separator, so ("ab","c") and ("a","bc") differ
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
