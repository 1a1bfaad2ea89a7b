import Locking
import Foundation

/// The one source of time. Everything that reads the time (timestamps in responses, SigV4
/// skew, journal, uptime; later waits, backoff, quotas and job progress) asks this, so tests can
/// pin it.
public protocol ServerClock: Sendable {
    /// Milliseconds since the Unix epoch.
    func nowMillis() -> Int64
}

extension ServerClock {
    public func nowSeconds() -> Int64 { nowMillis() / 1000 }
}

public struct SystemClock: ServerClock {
    public init() {}
    public func nowMillis() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}

/// A clock that moves only when told to.
public final class ManualClock: ServerClock {
    private let current: Locked<Int64>

    public init(millis: Int64) { current = Locked(millis) }

    public func nowMillis() -> Int64 { current.withLock { $0 } }

    public func advance(millis: Int64) { current.withLock { $0 += millis } }

    public func set(millis: Int64) { current.withLock { $0 = millis } }
}

/// The clock quotas and fault windows read: the server's clock plus an offset that
/// `POST /_understudy/clock {"advanceSeconds": N}` moves forward, so a test can refill a
/// minute's quota without waiting. Request signing and the Date header keep the real time,
/// so strict SigV4 still accepts clients after an advance.
public final class AdvanceableClock: ServerClock {
    private let base: any ServerClock
    private let offset = Locked<Int64>(0)

    public init(base: any ServerClock) { self.base = base }

    public func nowMillis() -> Int64 { base.nowMillis() + offset.withLock { $0 } }

    public var offsetMillis: Int64 { offset.withLock { $0 } }

    /// Moves forward only, and never past ~31,000 years, so repeated advances cannot overflow.
    public func advance(millis: Int64) { offset.withLock { $0 = min($0 + max(0, min(millis, 1_000_000_000_000_000)), 1_000_000_000_000_000) } }

    public func resetOffset() { offset.withLock { $0 = 0 } }
}
