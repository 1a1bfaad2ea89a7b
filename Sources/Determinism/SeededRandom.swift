/// SplitMix64: small, fast, and fully determined by its seed. Every random stream in
/// Understudy derives from the one configured seed plus a label, so adding a stream never
/// shifts another one's sequence.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A stream for `label` derived from `seed` (FNV-1a of the label mixed into the seed).
    public init(seed: UInt64, label: String) {
        var mixer = SeededRandom(seed: seed ^ StableHash.of(label))
        state = mixer.next()
    }

    /// A value in `0..<bound` (bound > 0).
    public mutating func next(below bound: Int) -> Int { Int(next() % UInt64(bound)) }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func bytes(_ count: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count + 8)
        while out.count < count {
            var v = next()
            withUnsafeBytes(of: &v) { out.append(contentsOf: $0) }
        }
        return Array(out.prefix(count))
    }
}

extension SeededRandom {
    /// The next 16 bytes as lower-case UUID v4 text (AWS request ids, Cohere ids).
    public mutating func uuidV4() -> String {
        var b = bytes(16)
        b[6] = (b[6] & 0x0F) | 0x40
        b[8] = (b[8] & 0x3F) | 0x80
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (i, byte) in b.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
