public import ServiceKit
public import StatesEngine
import Locking

/// One execution's time through the server's clock, scaled by `--time-scale` (1 real time,
/// 0.01 a hundred times faster, 0 instant). Time that a scaled wait skips is added to the
/// execution's clock, so `$$.State.EnteredTime`, Wait timestamps and timeouts see the full
/// wait even when it took no real time.
public final class ScaledExecutionClock: ExecutionClock {
    let clock: any ServerClock
    let scale: Double
    private let skipped = Locked<Int64>(0)

    /// `notBefore`: a time the clock must not read earlier than (a resumed execution's last
    /// event).
    public init(clock: any ServerClock, scale: Double, notBefore: Int64? = nil) {
        self.clock = clock
        self.scale = scale
        if let notBefore { skipped.withLock { $0 = max(0, ExecutionTime.subtracting(notBefore, clock.nowMillis())) } }
    }

    /// At most `ExecutionTime.latestMillis`: a wait that skipped to the end of time stays
    /// there, so every time an execution shows is one a timestamp can name.
    public func nowMillis() -> Int64 { min(ExecutionTime.adding(clock.nowMillis(), skipped.withLock { $0 }), ExecutionTime.latestMillis) }

    public var isInstant: Bool { scale == 0 }

    /// The longest single real sleep: a longer wait (a saturated `SecondsPath`, a year 9999
    /// Timestamp at time scale 1) sleeps in steps of it, since no nanosecond count holds it.
    static let longestSleepNanoseconds: Double = 3_600_000_000_000

    public func sleep(milliseconds: Int64) async {
        guard milliseconds > 0 else { return }
        let now = nowMillis()
        // The clock goes no further than the last instant a timestamp can show.
        let target = max(now, min(ExecutionTime.adding(now, milliseconds), ExecutionTime.latestMillis))
        var remaining = Double(milliseconds) * scale * 1_000_000
        if remaining >= 1_000_000 {
            while remaining >= 1, !Task.isCancelled {
                let step = min(remaining, Self.longestSleepNanoseconds)
                try? await Task.sleep(nanoseconds: UInt64(step))
                remaining -= step
            }
        }
        // Sleeps of concurrent branches overlap: the clock ends at the latest one's end, not
        // at the sum of what each skipped.
        let base = clock.nowMillis()
        skipped.withLock { $0 = max($0, ExecutionTime.subtracting(target, base)) }
    }
}
