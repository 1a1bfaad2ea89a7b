/// Runs `body` repeatedly for about `seconds` (after a warm-up) and returns the mean time
/// per call in seconds.
public func measure(seconds: Double = 2.0, warmUp: Int = 3, _ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    for _ in 0..<warmUp { try body() }
    var iterations = 0
    let start = clock.now
    var elapsed: Duration = .zero
    while elapsed < .seconds(seconds) {
        try body()
        iterations += 1
        elapsed = start.duration(to: clock.now)
    }
    let (s, atto) = elapsed.components
    return (Double(s) + Double(atto) / 1e18) / Double(iterations)
}
