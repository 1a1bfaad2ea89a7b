import StatesEngine

/// Execution time through the server's clock, scaled by `--time-scale` (1 real time, 0.01 a
/// hundred times faster, 0 instant: every wait elapses at once).
struct ScaledExecutionClock: ExecutionClock {
    let clock: any ServerClock
    let scale: Double

    func nowMillis() -> Int64 { clock.nowMillis() }

    func sleep(milliseconds: Int64) async {
        let real = Double(milliseconds) * scale
        guard real >= 1 else { return }
        try? await Task.sleep(nanoseconds: UInt64(real * 1_000_000))
    }
}
