#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A value kept under a lock: the one way mutable state is shared between threads in this
/// project.
///
/// Why not the standard library's `Synchronization.Mutex`: on Linux it waits on a futex through
/// code ThreadSanitizer does not see, so every guarded access is reported as a race and a
/// sanitizer run cannot tell a real race from the lock itself. A `pthread_mutex_t`, which
/// ThreadSanitizer intercepts, costs the same when uncontended. The shape of `withLock` is
/// Mutex's, so the two read alike.
public final class Locked<Value>: @unchecked Sendable {
    // Safe to share: `value` is only read or written between `pthread_mutex_lock` and
    // `pthread_mutex_unlock` on `mutex`, and only through `withLock`.
    private var value: Value
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    public init(_ initialValue: consuming sending Value) {
        value = initialValue
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        let status = pthread_mutex_init(mutex, nil)
        precondition(status == 0, "pthread_mutex_init failed: \(status)")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the value while holding the lock; keep it short and never await in it.
    @inlinable
    public func withLock<Result: ~Copyable, E: Error>(_ body: (inout sending Value) throws(E) -> sending Result) throws(E) -> sending Result {
        lock()
        defer { unlock() }
        return try body(&storage)
    }

    @usableFromInline
    var storage: Value {
        _read { yield value }
        _modify { yield &value }
    }

    @usableFromInline
    func lock() {
        let status = pthread_mutex_lock(mutex)
        precondition(status == 0, "pthread_mutex_lock failed: \(status)")
    }

    @usableFromInline
    func unlock() {
        let status = pthread_mutex_unlock(mutex)
        precondition(status == 0, "pthread_mutex_unlock failed: \(status)")
    }
}
