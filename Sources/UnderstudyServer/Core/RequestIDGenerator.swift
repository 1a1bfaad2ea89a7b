import AWSWire
import Determinism
import NIOConcurrencyHelpers

/// Request ids as AWS formats them (lower-case UUID v4), drawn from the configured seed so a
/// run with the same seed and the same requests produces the same ids.
public final class RequestIDGenerator: Sendable {
    private let random: NIOLockedValueBox<SeededRandom>

    public init(seed: UInt64) { random = NIOLockedValueBox(SeededRandom(seed: seed, label: "request-id")) }

    public func next() -> String {
        random.withLockedValue { $0.uuidV4() }
    }
}
