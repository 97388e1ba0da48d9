// IconvCache: per-thread iconv descriptors, opened once per charset. glibc loads
// and unloads gconv modules as descriptors come and go, which cost more than the
// conversion of a typical body. Descriptors are never shared between threads
// (iconv_t is not thread-safe); the cache is freed when its thread exits.

import Glibc

/// A thread's open iconv descriptors (to UTF-8), by source charset name.
final class IconvCache {
    /// Most descriptors kept per thread; further charsets are opened per call.
    static let capacity = 32

    private var handles: [String: iconv_t] = [:]
    private var unsupported: Set<String> = []

    private init() {}

    deinit {
        for handle in handles.values { iconv_close(handle) }
    }

    /// The calling thread's cache.
    static var current: IconvCache {
        if let raw = pthread_getspecific(key) {
            return Unmanaged<IconvCache>.fromOpaque(raw).takeUnretainedValue()
        }
        let cache = IconvCache()
        pthread_setspecific(key, Unmanaged.passRetained(cache).toOpaque())
        return cache
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { raw in
            if let raw { Unmanaged<IconvCache>.fromOpaque(raw).release() }
        }
        precondition(status == 0, "pthread_key_create failed")
        return key
    }()

    /// Runs `body` with a descriptor converting `name` to UTF-8 in its initial
    /// state; returns nil without calling `body` if iconv does not know `name`.
    func withDescriptor<R>(_ name: String, _ body: (iconv_t) -> R) -> R? {
        if let handle = handles[name] {
            iconv(handle, nil, nil, nil, nil)
            return body(handle)
        }
        if unsupported.contains(name) { return nil }
        let handle = iconv_open("UTF-8", name)
        if Int(bitPattern: handle) == -1 {
            if unsupported.count < 256 { unsupported.insert(name) }
            return nil
        }
        guard let handle else { return nil }
        if handles.count < IconvCache.capacity {
            handles[name] = handle
            return body(handle)
        }
        defer { iconv_close(handle) }
        return body(handle)
    }
}
