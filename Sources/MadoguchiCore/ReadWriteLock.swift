// ReadWriteLock: a pthread read-write lock that prefers writers, for state many
// threads read at once and few change (the web server's page cache). Under a Mutex
// every reader of that cache queued behind every other, and with more request threads
// than cores a reader preempted inside the lock put the others to sleep: the inbox's
// threads blocked there on nearly every request. Writers are preferred so a store is
// not starved by a steady stream of readers.

import Glibc

/// A read-write lock.
///
/// `@unchecked Sendable`: the pthread lock is what makes it safe to share; it is
/// allocated once and never moved.
public final class ReadWriteLock: @unchecked Sendable {
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>

    /// A new, unlocked lock.
    public init() {
        lock = .allocate(capacity: 1)
        var attributes = pthread_rwlockattr_t()
        pthread_rwlockattr_init(&attributes)
        pthread_rwlockattr_setkind_np(&attributes, Int32(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP))
        let result = pthread_rwlock_init(lock, &attributes)
        pthread_rwlockattr_destroy(&attributes)
        precondition(result == 0, "pthread_rwlock_init failed: \(result)")
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    /// Runs `body` holding the lock shared with other readers.
    public func reading<T>(_ body: () throws -> T) rethrows -> T {
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }

    /// Runs `body` holding the lock alone.
    public func writing<T>(_ body: () throws -> T) rethrows -> T {
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }
}
