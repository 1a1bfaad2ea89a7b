/// The body of a passed-through answer, pulled part by part straight from whatever produces it.
///
/// Each `next()` runs in the reader's own task: no task sits between the connection the parts
/// arrive on and the one they leave by, so a part costs no extra hop through the task
/// scheduler (a recorder's client waits for its first byte on every such hop). A stage that
/// looks at the parts on their way (the recorder's capture) wraps the iterator in its own.
/// Iterate it once, and to its end even when nobody wants the bytes (a HEAD, a client that
/// left): the recorder keeps a call when its answer ends.
public struct LiveBody: AsyncSequence, Sendable {
    public typealias Element = [UInt8]

    public struct AsyncIterator: AsyncIteratorProtocol {
        let pull: () async throws -> [UInt8]?

        public mutating func next() async throws -> [UInt8]? { try await pull() }
    }

    private let make: @Sendable () -> AsyncIterator

    /// A body whose parts come from `base`.
    public init<Base: AsyncSequence & Sendable>(_ base: Base) where Base.Element == [UInt8] {
        make = {
            let reader = IteratorBox(base.makeAsyncIterator())
            return AsyncIterator { try await reader.next() }
        }
    }

    /// A body from a function that gives each call's next part, nil at the end; `makePull` is
    /// called once per iteration and may keep state in what it returns.
    public init(makePull: @escaping @Sendable () -> () async throws -> [UInt8]?) {
        make = { AsyncIterator(pull: makePull()) }
    }

    /// A body already whole, in these parts.
    public init(parts: [[UInt8]]) {
        self.init(makePull: {
            let remaining = IteratorBox(parts.makeIterator())
            return { remaining.nextSync() }
        })
    }

    public func makeAsyncIterator() -> AsyncIterator { make() }
}

/// An iterator held by reference, so a closure can advance it.
private final class IteratorBox<Iterator> {
    var iterator: Iterator

    init(_ iterator: Iterator) { self.iterator = iterator }
}

extension IteratorBox where Iterator: AsyncIteratorProtocol {
    func next() async throws -> Iterator.Element? { try await iterator.next() }
}

extension IteratorBox where Iterator: IteratorProtocol {
    func nextSync() -> Iterator.Element? { iterator.next() }
}
