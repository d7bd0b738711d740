#if ASYNCWAIT_TSAN_MUTEX
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A stand-in for `Synchronization.Mutex` that ThreadSanitizer understands, built only for the
/// TSan run in CI (`-Xswiftc -DASYNCWAIT_TSAN_MUTEX`).
///
/// On Linux with Swift 6.3, `Synchronization.Mutex` locks through code that TSan does not see,
/// so every access it protects is reported as a race (a two-line program with one `Mutex`
/// shows it). This type has the same `withLock` shape on top of `pthread_mutex_t`, whose
/// lock and unlock TSan intercepts, so the run checks our state machines, not the lock.
/// It shadows `Synchronization.Mutex` in this module; production builds never compile it.
@usableFromInline
struct Mutex<Value: ~Copyable>: ~Copyable, @unchecked Sendable {
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>
    @usableFromInline let value: UnsafeMutablePointer<Value>

    @usableFromInline
    init(_ initialValue: consuming sending Value) {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        value = .allocate(capacity: 1)
        value.initialize(to: initialValue)
    }

    deinit {
        value.deinitialize(count: 1)
        value.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    @inlinable
    borrowing func withLock<Result: ~Copyable, E: Error>(
        _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value.pointee)
    }
}
#endif
