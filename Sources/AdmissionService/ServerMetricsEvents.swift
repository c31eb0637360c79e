import Logging
import Observability
import WebhookServer

/// Transport events → connection gauges, handshake error counter, loop heartbeats and log lines.
struct ServerMetricsEvents: ServerEvents {
    let metrics: WebhookMetrics
    let logger: Logger
    /// One per event loop, indexed by loop number.
    let heartbeats: [LoopHeartbeat]

    func connectionOpened(_ proto: ConnectionProtocol) { metrics.connectionOpened(Self.label(proto)) }
    func connectionClosed(_ proto: ConnectionProtocol) { metrics.connectionClosed(Self.label(proto)) }

    func tlsHandshakeFailed(_ reason: String) {
        metrics.recordTLSHandshakeError()
        logger.debug("TLS handshake failed", metadata: ["error": "\(reason)"])
    }

    func connectionRejected() {
        logger.debug("connection refused: connection limit reached or shutting down")
    }

    func requestTimedOut(path: String) {
        logger.warning("request timed out; answered 504", metadata: ["path": "\(path)"])
    }

    func loopHeartbeat(loop: Int) {
        if loop >= 0 && loop < heartbeats.count { heartbeats[loop].beat() }
    }

    static func label(_ p: ConnectionProtocol) -> HTTPProtocolLabel { p == .http2 ? .h2 : .http1 }
}
