import Glibc
import WebhookTLS

/// Everything the HTTPS server needs; defaults suit a Kubernetes admission webhook.
public struct ServerConfiguration: Sendable {
    public struct Limits: Sendable {
        public var maxHeaderBytes = 65536
        public var maxBodyBytes = 7 * 1024 * 1024
        /// HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS.
        public var maxConcurrentStreams = 100
        /// HTTP/1.1 requests parsed ahead of their responses; the socket is not read beyond that.
        public var maxPipelinedRequests = 16
        public init() {}
    }

    public struct Timeouts: Sendable {
        public var tlsHandshake: Duration = .seconds(10)
        /// From the first byte of a request until it is complete.
        public var requestHeaders: Duration = .seconds(10)
        /// A keep-alive connection with nothing in flight is closed after this.
        public var idle: Duration = .seconds(90)
        /// Handler deadline when the request names none (`?timeout=`); past it the client gets 504.
        public var defaultRequest: Duration = .seconds(30)
        public init() {}
    }

    public var bindAddress: String
    /// 0 picks an ephemeral port (see `HTTPServer.start()`).
    public var port: Int
    public var tls: TLSConfiguration
    public var limits: Limits
    public var timeouts: Timeouts
    /// Event loop threads; defaults to the online cores.
    public var loops: Int
    /// Connections beyond this are accepted and closed at once.
    public var maxConnections: Int
    public var listenBacklog: Int
    /// Requests with bodies up to this size are handled on the event loop that read them: a
    /// few tens of microseconds of rule work, less than a TLS handshake costs that loop, and
    /// no hand-off between threads. Larger ones go to the global pool so that one big review
    /// never stalls the other connections of its loop. 0 sends every request to the pool.
    public var loopHandledBodyLimit = 16 * 1024

    public init(bindAddress: String = "0.0.0.0", port: Int = 8443, tls: TLSConfiguration,
                limits: Limits = Limits(), timeouts: Timeouts = Timeouts(),
                loops: Int? = nil, maxConnections: Int = 10_000, listenBacklog: Int = 1024) {
        self.bindAddress = bindAddress
        self.port = port
        self.tls = tls
        self.limits = limits
        self.timeouts = timeouts
        self.loops = max(1, loops ?? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        self.maxConnections = maxConnections
        self.listenBacklog = listenBacklog
    }
}

extension Duration {
    /// Whole nanoseconds, saturating.
    var nanoseconds: Int64 {
        let c = components
        let (s, o) = c.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if o { return c.seconds < 0 ? .min : .max }
        return s &+ c.attoseconds / 1_000_000_000
    }
}
