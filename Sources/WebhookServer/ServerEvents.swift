/// The application protocol a connection speaks after its TLS handshake.
public enum ConnectionProtocol: String, Sendable, CaseIterable {
    case http1 = "http/1.1"
    case http2 = "h2"
}

/// Hooks for metrics and logs, called on event loop threads: keep them cheap and non-blocking.
/// Every method has a no-op default.
public protocol ServerEvents: Sendable {
    /// A TLS handshake finished and the protocol is known.
    func connectionOpened(_ proto: ConnectionProtocol)
    /// A connection reported by `connectionOpened` is gone.
    func connectionClosed(_ proto: ConnectionProtocol)
    /// A handshake failed or timed out (the connection is closed).
    func tlsHandshakeFailed(_ reason: String)
    /// A connection was refused because `maxConnections` was reached.
    func connectionRejected()
    /// A handler missed its deadline and the client was answered 504.
    func requestTimedOut(path: String)
    /// Event loop `loop` (0-based) went round; each running loop calls this at least once a
    /// second, so a silent loop is a stuck one (liveness).
    func loopHeartbeat(loop: Int)
}

extension ServerEvents {
    public func connectionOpened(_ proto: ConnectionProtocol) {}
    public func connectionClosed(_ proto: ConnectionProtocol) {}
    public func tlsHandshakeFailed(_ reason: String) {}
    public func connectionRejected() {}
    public func requestTimedOut(path: String) {}
    public func loopHeartbeat(loop: Int) {}
}

struct NoServerEvents: ServerEvents {}
