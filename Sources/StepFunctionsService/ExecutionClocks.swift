import ServiceKit
import StatesEngine
import Locking

/// One execution's time through the server's clock, scaled by `--time-scale` (1 real time,
/// 0.01 a hundred times faster, 0 instant). Time that a scaled wait skips is added to the
/// execution's clock, so `$$.State.EnteredTime`, Wait timestamps and timeouts see the full
/// wait even when it took no real time.
public final class ScaledExecutionClock: ExecutionClock {
    let clock: any ServerClock
    let scale: Double
    private let skipped = Locked<Int64>(0)

    public init(clock: any ServerClock, scale: Double) {
        self.clock = clock
        self.scale = scale
    }

    public func nowMillis() -> Int64 { clock.nowMillis() + skipped.withLock { $0 } }

    public var isInstant: Bool { scale == 0 }

    public func sleep(milliseconds: Int64) async {
        guard milliseconds > 0 else { return }
        let target = nowMillis() + milliseconds
        let real = Double(milliseconds) * scale
        // Checked: a Wait until the year 9999, or a large --time-scale, is more nanoseconds
        // than UInt64 holds, and the plain conversion trapped the server.
        if real >= 1 { try? await Task.sleep(nanoseconds: UInt64(exactly: (real * 1_000_000).rounded(.down)) ?? .max) }
        // Sleeps of concurrent branches overlap: the clock ends at the latest one's end, not
        // at the sum of what each skipped.
        let base = clock.nowMillis()
        skipped.withLock { $0 = max($0, target - base) }
    }
}
