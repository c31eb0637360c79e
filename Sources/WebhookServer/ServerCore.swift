import Logging
import Synchronization
import WebhookHTTP
import WebhookTLS

/// State shared by the server and all its event loops.
final class ServerCore: Sendable {
    let configuration: ServerConfiguration
    let handler: any HTTPHandler
    let logger: Logger
    let events: any ServerEvents
    /// Used for new handshakes only; swapping it never disturbs live connections.
    let tlsContext: Mutex<TLSContext>
    let connectionCount = Atomic<Int>(0)
    let draining = Atomic<Bool>(false)

    // Deadlines in monotonic nanoseconds, precomputed.
    let handshakeTimeout: Int64
    let headerTimeout: Int64
    let idleTimeout: Int64
    let defaultRequestTimeout: Int64

    init(configuration: ServerConfiguration, tlsContext: TLSContext, handler: any HTTPHandler,
         logger: Logger, events: any ServerEvents) {
        self.configuration = configuration
        self.handler = handler
        self.logger = logger
        self.events = events
        self.tlsContext = Mutex(tlsContext)
        handshakeTimeout = configuration.timeouts.tlsHandshake.nanoseconds
        headerTimeout = configuration.timeouts.requestHeaders.nanoseconds
        idleTimeout = configuration.timeouts.idle.nanoseconds
        defaultRequestTimeout = configuration.timeouts.defaultRequest.nanoseconds
    }

    var currentTLSContext: TLSContext { tlsContext.withLock { $0 } }

    /// Deadline for a handler: the request's own `timeout=` when given, else the default.
    func requestDeadline(_ request: HTTPRequest, now: Int64) -> Int64 {
        if let s = request.timeoutSeconds, s > 0 {
            return now &+ Int64(s) &* 1_000_000_000
        }
        return now &+ defaultRequestTimeout
    }
}
