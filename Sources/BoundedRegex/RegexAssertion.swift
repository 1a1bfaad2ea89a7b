/// The zero-width assertions that look at the neighbouring code units.
enum RegexAssertion: Sendable, Equatable {
    case start
    case end
    case wordBoundary
    case notWordBoundary
}
