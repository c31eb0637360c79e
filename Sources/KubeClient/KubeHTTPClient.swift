import JSON
import Logging
import Synchronization
import WebhookTLS

/// A small HTTP/1.1 client for the Kubernetes API on our own TLS: keep-alive connection reuse,
/// bearer token (re-read on rotation and after a 401), client-side token-bucket rate limit,
/// `429`/`503` answers retried after their `Retry-After`, request and idle timeouts.
/// Blocking calls (`sendBlocking`, `streamBlocking`) for dedicated threads; `send` for async code.
public final class KubeHTTPClient: Sendable {
    public let configuration: KubeClientConfiguration
    public let limiter: RateLimiter
    let tlsContext: TLSClientContext
    let tokens: TokenSource
    let logger: Logger
    private let idle = Mutex<[HTTP1ClientConnection]>([])
    static let maxIdleConnections = 4
    /// Retries of a 429/503 answer that carries `Retry-After`.
    static let maxRetryAfterRetries = 3
    static let maxRetryAfter: Duration = .seconds(30)

    public init(configuration: KubeClientConfiguration, logger: Logger = Logger(label: "kubeclient")) throws {
        self.configuration = configuration
        self.limiter = RateLimiter(qps: configuration.qps, burst: configuration.burst)
        self.tokens = TokenSource(configuration.token)
        self.logger = logger
        do { tlsContext = try TLSClientContext(configuration: configuration.tls) } catch {
            throw KubeError.configuration(error.message)
        }
    }

    // MARK: async

    /// Sends a request off the cooperative pool and returns the complete answer (any status).
    /// The rate-limit wait happens here, as a task sleep, so queued requests hold no thread.
    public func send(_ request: KubeRequest) async throws -> KubeResponse {
        try await Task.sleep(for: limiter.reserve())
        return try await Blocking.run { try self.sendBlocking(request, reserved: true) }
    }

    /// Like `send` but throws `KubeError.status` for anything but 2xx and parses the JSON body.
    public func json(_ request: KubeRequest) async throws -> JSONValue {
        try Self.decode(try await send(request))
    }

    /// The JSON body of a 2xx answer; `KubeError.status` otherwise.
    static func decode(_ response: KubeResponse) throws -> JSONValue {
        guard response.isSuccess else { throw KubeError.from(response) }
        do { return try JSONParser.parse(response.body) } catch {
            throw KubeError.decoding("body is not JSON: \(error)")
        }
    }

    // MARK: blocking

    /// `reserved`: the caller already took (and waited for) a rate-limit token for the first try.
    public func sendBlocking(_ request: KubeRequest, reserved: Bool = false) throws -> KubeResponse {
        var retryAfterRetries = 0
        var reauthenticated = false
        var first = true
        while true {
            if !(first && reserved) { Blocking.sleep(limiter.reserve()) }
            first = false
            let response = try exchange(request)
            if response.status == 401, case .file = tokens.origin, !reauthenticated {
                tokens.invalidate()
                reauthenticated = true
                continue
            }
            if response.status == 429 || response.status == 503,
               let wait = Self.retryAfter(response.header("retry-after")),
               retryAfterRetries < Self.maxRetryAfterRetries {
                retryAfterRetries += 1
                logger.debug("API server asked to retry later", metadata: [
                    "status": "\(response.status)", "path": "\(request.path)", "wait": "\(wait)"])
                Blocking.sleep(wait)
                continue
            }
            return response
        }
    }

    /// Opens a streaming GET (a watch). A non-2xx answer is read whole and thrown as
    /// `KubeError.status`; otherwise body bytes go to `sink` until the server ends the stream
    /// (normal return), `sink` returns false, the connection drops (`KubeError.transport`),
    /// nothing arrives for `idleTimeout`, or `cancellation` fires (`KubeError.cancelled`).
    public func streamBlocking(_ request: KubeRequest, idleTimeout: Duration,
                               cancellation: StreamCancellation,
                               sink: (ArraySlice<UInt8>) throws -> Bool) throws {
        var retryAfterRetries = 0
        var reauthenticated = false
        while true {
            Blocking.sleep(limiter.reserve())
            if cancellation.isCancelled { throw KubeError.cancelled }
            let conn = try connect()
            guard cancellation.attach(conn) else { throw KubeError.cancelled }
            defer { _ = cancellation.attach(nil); conn.tls.close() }
            do {
                let deadline = ContinuousClock.now.advanced(by: configuration.requestTimeout)
                try conn.send(request, host: configuration.hostHeader, pathPrefix: configuration.basePath, authorization: try authorization(),
                              deadline: deadline)
                let (head, framing) = try conn.readHead(method: request.method, deadline: deadline)
                if !(200..<300).contains(head.status) {
                    let body = try conn.readBody(framing, limit: 1 << 20, deadline: deadline)
                    let response = KubeResponse(status: head.status, headers: head.headers, body: body)
                    if response.status == 401, case .file = tokens.origin, !reauthenticated {
                        tokens.invalidate()
                        reauthenticated = true
                        continue
                    }
                    if response.status == 429 || response.status == 503,
                       let wait = Self.retryAfter(response.header("retry-after")),
                       retryAfterRetries < Self.maxRetryAfterRetries {
                        retryAfterRetries += 1
                        Blocking.sleep(wait)
                        continue
                    }
                    throw KubeError.from(response)
                }
                try conn.readBody(framing, deadline: { ContinuousClock.now.advanced(by: idleTimeout) }, sink: sink)
                return
            } catch {
                if cancellation.isCancelled { throw KubeError.cancelled }
                throw error
            }
        }
    }

    /// One request/response, on a pooled connection when one is idle (a stale pooled
    /// connection that fails before any answer byte is replaced by a fresh one, once).
    private func exchange(_ request: KubeRequest) throws -> KubeResponse {
        var pooled = idle.withLock { $0.popLast() }
        while true {
            let reused = pooled != nil
            let conn = try pooled ?? connect()
            pooled = nil
            let deadline = ContinuousClock.now.advanced(by: configuration.requestTimeout)
            do {
                try conn.send(request, host: configuration.hostHeader, pathPrefix: configuration.basePath, authorization: try authorization(),
                              deadline: deadline)
                let (head, framing) = try conn.readHead(method: request.method, deadline: deadline)
                let body = try conn.readBody(framing, limit: configuration.maxBodyBytes, deadline: deadline)
                if conn.reusable && !conn.hasLeftoverBytes {
                    idle.withLock { list in
                        if list.count < Self.maxIdleConnections { list.append(conn) }
                    }
                } else {
                    conn.tls.close()
                }
                return KubeResponse(status: head.status, headers: head.headers, body: body)
            } catch let error as KubeError {
                conn.tls.close()
                if reused, case .transport = error { continue }
                throw error
            }
        }
    }

    private func connect() throws -> HTTP1ClientConnection {
        do {
            let tls = try TLSClientConnection(host: configuration.host, port: configuration.port,
                                              context: tlsContext, serverName: configuration.serverName,
                                              timeout: configuration.connectTimeout)
            return HTTP1ClientConnection(tls: tls)
        } catch {
            throw KubeError.transport(error.message)
        }
    }

    private func authorization() throws -> String? {
        try tokens.token().map { "Bearer \($0)" }
    }

    /// Closes idle keep-alive connections.
    public func closeIdleConnections() {
        let conns = idle.withLock { list -> [HTTP1ClientConnection] in
            defer { list.removeAll() }
            return list
        }
        for c in conns { c.tls.close() }
    }

    /// `Retry-After` in seconds (the API server never sends the HTTP-date form), capped.
    static func retryAfter(_ value: String?) -> Duration? {
        guard let value, let secs = Int(value.trimmed(of: " \t")), secs >= 0 else { return nil }
        return min(.seconds(secs), maxRetryAfter)
    }

}
