import CLinux
import COpenSSL
import Glibc

/// One blocking client TLS connection over its own TCP socket: connect, handshake with the
/// server certificate verified against the context's CAs *and* the expected host name or IP,
/// then reads and writes with deadlines. Used by one thread at a time; `interrupt()` may be
/// called from any thread to wake a blocked read (the socket is shut down, the next call fails).
public final class TLSClientConnection: @unchecked Sendable {
    private let ssl: OpaquePointer
    private let fd: Int32
    /// Keeps the context alive as long as this session.
    public let context: TLSClientContext
    /// The name (or IP) the certificate was checked against.
    public let verifiedName: String

    /// Connects to `host:port` and completes the handshake within `timeout`. `serverName`
    /// overrides the name checked in the certificate (and sent as SNI); default: `host`.
    public init(host: String, port: Int, context: TLSClientContext, serverName: String? = nil,
                timeout: Duration) throws(TLSError) {
        guard (1...65535).contains(port) else { throw TLSError("invalid port \(port)") }
        let deadline = ContinuousClock.now.advanced(by: timeout)
        let fd = shim_tcp_connect(host, String(port), Self.milliseconds(timeout))
        guard fd >= 0 else {
            let code = -fd
            if code >= 100_000 {
                throw TLSError("cannot resolve \(host): \(String(cString: shim_gai_strerror(Int32(code - 100_000))))")
            }
            throw TLSError("cannot connect to \(host):\(port): \(String(cString: strerror(code)))")
        }
        guard let ssl = SSL_new(context.ctx) else {
            Glibc.close(fd)
            throw TLSError("cannot create TLS session: \(drainOpenSSLErrors())")
        }
        self.ssl = ssl
        self.fd = fd
        self.context = context
        let name = serverName ?? host
        self.verifiedName = name
        guard SSL_set_fd(ssl, fd) == 1 else {
            throw TLSError("cannot attach TLS session to socket: \(drainOpenSSLErrors())")
        }
        SSL_set_connect_state(ssl)
        if Self.isIPAddress(name) {
            guard let param = SSL_get0_param(ssl), X509_VERIFY_PARAM_set1_ip_asc(param, name) == 1 else {
                throw TLSError("cannot set expected server IP \(name): \(drainOpenSSLErrors())")
            }
        } else {
            guard SSL_set1_host(ssl, name) == 1 else {
                throw TLSError("cannot set expected server name \(name): \(drainOpenSSLErrors())")
            }
            _ = shim_SSL_set_tlsext_host_name(ssl, name)
        }
        while true {
            ERR_clear_error()
            let r = SSL_do_handshake(ssl)
            if r == 1 { break }
            let err = SSL_get_error(ssl, r)
            switch err {
            case SSL_ERROR_WANT_READ: try wait(for: shim_POLLIN(), until: deadline, doing: "TLS handshake")
            case SSL_ERROR_WANT_WRITE: try wait(for: shim_POLLOUT(), until: deadline, doing: "TLS handshake")
            default:
                let verify = SSL_get_verify_result(ssl)
                if verify != X509_V_OK {
                    _ = drainOpenSSLErrors()
                    let text = X509_verify_cert_error_string(verify).map { String(cString: $0) } ?? "code \(verify)"
                    throw TLSError("TLS handshake with \(host):\(port) failed: server certificate not accepted for \(name): \(text)")
                }
                let reason = drainOpenSSLErrors()
                throw TLSError("TLS handshake with \(host):\(port) failed: \(reason.isEmpty ? "connection closed" : reason)")
            }
        }
    }

    deinit {
        SSL_free(ssl)
        Glibc.close(fd)
    }

    /// The ALPN protocol the server chose, nil when none.
    public var alpnProtocol: String? {
        var data: UnsafePointer<UInt8>? = nil
        var len: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &len)
        guard let data, len > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(len)), as: UTF8.self)
    }

    /// Reads up to `maxBytes` decrypted bytes, waiting until `deadline`; empty = the peer closed.
    public func read(maxBytes: Int = 16384, until deadline: ContinuousClock.Instant) throws(TLSError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: max(1, maxBytes))
        while true {
            ERR_clear_error()
            let r = buffer.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32(clamping: $0.count)) }
            if r > 0 {
                buffer.removeSubrange(Int(r)...)
                return buffer
            }
            let err = SSL_get_error(ssl, r)
            switch err {
            case SSL_ERROR_WANT_READ: try wait(for: shim_POLLIN(), until: deadline, doing: "read")
            case SSL_ERROR_WANT_WRITE: try wait(for: shim_POLLOUT(), until: deadline, doing: "read")
            case SSL_ERROR_ZERO_RETURN: return []
            case SSL_ERROR_SYSCALL:
                let reason = drainOpenSSLErrors()
                if reason.isEmpty || reason.contains("unexpected eof") { return [] }
                throw TLSError("read failed: \(reason)")
            default:
                let reason = drainOpenSSLErrors()
                throw TLSError("read failed: \(reason.isEmpty ? "TLS error \(err)" : reason)")
            }
        }
    }

    /// Writes every byte or throws (timeout, reset).
    public func write(_ bytes: [UInt8], until deadline: ContinuousClock.Instant) throws(TLSError) {
        var offset = 0
        while offset < bytes.count {
            ERR_clear_error()
            let r = bytes.withUnsafeBytes { raw in
                SSL_write(ssl, raw.baseAddress.map { $0 + offset }, Int32(clamping: raw.count - offset))
            }
            if r > 0 {
                offset += Int(r)
                continue
            }
            let err = SSL_get_error(ssl, r)
            switch err {
            case SSL_ERROR_WANT_READ: try wait(for: shim_POLLIN(), until: deadline, doing: "write")
            case SSL_ERROR_WANT_WRITE: try wait(for: shim_POLLOUT(), until: deadline, doing: "write")
            default:
                let reason = drainOpenSSLErrors()
                throw TLSError("write failed: \(reason.isEmpty ? "connection closed" : reason)")
            }
        }
    }

    /// Sends close_notify, best effort and without waiting.
    public func close() {
        ERR_clear_error()
        if SSL_is_init_finished(ssl) == 1 { _ = SSL_shutdown(ssl) }
        ERR_clear_error()
        _ = Glibc.shutdown(fd, Int32(SHUT_RDWR))
    }

    /// Wakes a thread blocked in `read`/`write` on this connection; later calls fail or see EOF.
    public func interrupt() {
        _ = Glibc.shutdown(fd, Int32(SHUT_RDWR))
    }

    private func wait(for events: Int32, until deadline: ContinuousClock.Instant, doing what: String) throws(TLSError) {
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            if left <= .zero { throw TLSError("\(what) timed out") }
            let r = shim_poll_one(fd, events, Self.milliseconds(left))
            if r > 0 { return }
            if r == 0 { continue }
            if -r == EINTR { continue }
            throw TLSError("\(what) failed: \(String(cString: strerror(-r)))")
        }
    }

    /// Milliseconds for poll(), at least 1 for any positive duration, capped at Int32.max.
    static func milliseconds(_ d: Duration) -> Int32 {
        let c = d.components
        if c.seconds < 0 { return 0 }
        if c.seconds > Int64(Int32.max / 1000) { return Int32.max }
        let ms = c.seconds * 1000 + c.attoseconds / 1_000_000_000_000_000
        return Int32(max(ms, c.attoseconds > 0 || c.seconds > 0 ? 1 : 0))
    }

    static func isIPAddress(_ s: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, s, &v4) == 1 || inet_pton(AF_INET6, s, &v6) == 1
    }
}
