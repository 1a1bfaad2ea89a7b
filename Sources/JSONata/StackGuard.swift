/// How much of its thread's stack an evaluation may use.
///
/// `Evaluator.maximumDepth` stops a runaway recursion at the depth JSONata allows, which in an
/// optimised build takes a few hundred kilobytes. A build whose frames are much larger (a debug
/// build under AddressSanitizer, where every local has red zones around it: tens of kilobytes
/// per level) would overflow an 8 MiB stack before reaching that depth and kill the process.
/// This guard measures the stack instead of counting levels, so such a build reports the same
/// `U1001` a little earlier rather than crashing; optimised and plain debug builds reach the
/// depth limit first and never see it.
struct StackGuard {
    /// The bytes an evaluation may add to the stack below where it started: half of the
    /// 8 MiB that Linux gives a thread by default (NIO's event loops, the Swift concurrency
    /// pool), leaving the rest to whatever called the evaluation.
    static let maximumBytes: UInt = 4 << 20
    /// Levels under which the guard does not look at the stack at all, so ordinary
    /// expressions pay nothing for it.
    static let uncheckedDepth = 64

    private let origin: UInt

    /// A guard for an evaluation starting at the caller's stack position.
    init() {
        origin = Self.currentPosition()
    }

    /// Whether the stack has grown past the allowance since the evaluation began. Stacks grow
    /// down on every platform Swift runs this on.
    func isExhausted() -> Bool {
        let position = Self.currentPosition()
        return position < origin && origin - position > Self.maximumBytes
    }

    /// An address in the caller's frame: a local's, which is on the stack (close enough to
    /// the stack pointer for a limit measured in megabytes).
    @inline(never)
    private static func currentPosition() -> UInt {
        var marker: UInt8 = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
    }
}
