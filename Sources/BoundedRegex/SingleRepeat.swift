/// A one-unit atom repeated between `min` and `max` times.
struct SingleRepeat: Sendable, Equatable {
    enum Test: Sendable, Equatable {
        case codeUnit(UInt16)
        case foldedCodeUnit(UInt16)
        case any
        case set(Int)
    }

    var test: Test
    var min: Int
    var max: Int
    var greedy: Bool
}
