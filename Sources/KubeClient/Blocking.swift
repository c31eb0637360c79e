import Dispatch
import Glibc
import Synchronization

/// Runs blocking socket work off Swift's cooperative pool: each call gets a thread of its own
/// from Dispatch's overcommitting pool, so a long watch never starves async tasks.
enum Blocking {
    static func run<T: Sendable>(_ label: String = "kubeclient.io",
                                 _ body: @escaping @Sendable () throws -> T) async throws -> T {
        let result: Result<T, any Error> = await withCheckedContinuation { continuation in
            DispatchQueue(label: label).async {
                continuation.resume(returning: Result { try body() })
            }
        }
        return try result.get()
    }

    /// Sleeps the calling (non-async) thread.
    static func sleep(_ d: Duration) {
        guard d > .zero else { return }
        let c = d.components
        var ts = timespec(tv_sec: Int(c.seconds), tv_nsec: Int(c.attoseconds / 1_000_000_000))
        var rem = timespec()
        while nanosleep(&ts, &rem) != 0 && errno == EINTR { ts = rem }
    }
}

/// Lets another thread abort a blocking stream: marks it cancelled and shuts its socket down.
public final class StreamCancellation: @unchecked Sendable {
    private let lock = Mutex<(cancelled: Bool, connection: HTTP1ClientConnection?)>((false, nil))

    public init() {}

    public var isCancelled: Bool { lock.withLock { $0.cancelled } }

    public func cancel() {
        let conn = lock.withLock { s -> HTTP1ClientConnection? in
            s.cancelled = true
            return s.connection
        }
        conn?.tls.interrupt()
    }

    /// False when already cancelled (the caller must not start).
    func attach(_ connection: HTTP1ClientConnection?) -> Bool {
        lock.withLock { s in
            s.connection = connection
            return !s.cancelled
        }
    }
}
