import Locking

/// Metric objects made once per label set and found again by a dictionary lookup under one
/// lock.
///
/// swift-metrics makes a metric by asking its factory, and the Prometheus registry answers by
/// building the label list, validating it and looking it up under its own lock, which is too
/// much for every request. Here that happens once per distinct key; after that a call costs a
/// hash of the key and the lock.
final class MetricCache<Key: Hashable & Sendable, Metric: Sendable>: Sendable {
    private let made = Locked<[Key: Metric]>([:])
    private let make: @Sendable (Key) -> Metric

    init(_ make: @escaping @Sendable (Key) -> Metric) { self.make = make }

    /// The metric for `key`, made the first time it is asked for.
    subscript(_ key: Key) -> Metric {
        made.withLock { made in
            if let metric = made[key] { return metric }
            let metric = make(key)
            made[key] = metric
            return metric
        }
    }
}
