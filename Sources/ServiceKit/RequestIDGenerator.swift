import Locking
import AWSWire
import Determinism

/// Request ids as AWS formats them (lower-case UUID v4), drawn from the configured seed so a
/// run with the same seed and the same requests produces the same ids.
public final class RequestIDGenerator: Sendable {
    private let random: Locked<SeededRandom>

    public init(seed: UInt64) { random = Locked(SeededRandom(seed: seed, label: "request-id")) }

    public func next() -> String {
        random.withLock { $0.uuidV4() }
    }
}
