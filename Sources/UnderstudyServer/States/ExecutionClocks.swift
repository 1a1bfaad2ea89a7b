import StatesEngine
import Synchronization

/// One execution's time through the server's clock, scaled by `--time-scale` (1 real time,
/// 0.01 a hundred times faster, 0 instant). Time that a scaled wait skips is added to the
/// execution's clock, so `$$.State.EnteredTime`, Wait timestamps and timeouts see the full
/// wait even when it took no real time.
final class ScaledExecutionClock: ExecutionClock {
    let clock: any ServerClock
    let scale: Double
    private let skipped = Mutex<Int64>(0)

    init(clock: any ServerClock, scale: Double) {
        self.clock = clock
        self.scale = scale
    }

    func nowMillis() -> Int64 { clock.nowMillis() + skipped.withLock { $0 } }

    func sleep(milliseconds: Int64) async {
        guard milliseconds > 0 else { return }
        let real = Double(milliseconds) * scale
        skipped.withLock { $0 += milliseconds - Int64(real) }
        guard real >= 1 else { return }
        try? await Task.sleep(nanoseconds: UInt64(real * 1_000_000))
    }
}
