import COpenSSL

/// Outcome of one non-blocking TLS step.
public enum TLSIOResult: Equatable {
    /// Bytes moved (read: > 0; write: > 0), or handshake finished (0).
    case done(Int)
    case wantRead
    case wantWrite
    /// The peer closed (close_notify or EOF).
    case closed
    case failed(String)
}

/// One server-side `SSL` bound to a non-blocking socket. Used only by the thread owning the socket.
public final class TLSConnection {
    private let ssl: OpaquePointer
    /// Keeps the context (and its ALPN callback data) alive as long as this session.
    public let context: TLSContext

    public init(context: TLSContext, fd: Int32) throws(TLSError) {
        guard let ssl = SSL_new(context.ctx) else {
            throw TLSError("cannot create TLS session: \(drainOpenSSLErrors())")
        }
        self.ssl = ssl
        self.context = context
        guard SSL_set_fd(ssl, fd) == 1 else {
            throw TLSError("cannot attach TLS session to socket: \(drainOpenSSLErrors())")
        }
        SSL_set_accept_state(ssl)
        // Read ahead: one read(2) pulls a whole record (or several) instead of a 5-byte record
        // header and then its body; what is left over is reported by `hasBufferedInput`.
        SSL_set_read_ahead(ssl, 1)
    }

    deinit { SSL_free(ssl) }

    public var isHandshakeComplete: Bool { SSL_is_init_finished(ssl) == 1 }

    public func handshake() -> TLSIOResult {
        ERR_clear_error()
        let r = SSL_do_handshake(ssl)
        return r == 1 ? .done(0) : classify(r)
    }

    /// Reads decrypted bytes; call until `.wantRead` (OpenSSL may buffer records epoll cannot see).
    public func read(into buffer: UnsafeMutableRawBufferPointer) -> TLSIOResult {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .done(0) }
        ERR_clear_error()
        let r = SSL_read(ssl, base, Int32(clamping: buffer.count))
        return r > 0 ? .done(Int(r)) : classify(r)
    }

    /// OpenSSL holds input (a decrypted record or raw bytes read ahead) that epoll cannot see.
    /// When false, everything received is either consumed or still in the socket, where a
    /// level-triggered epoll reports it.
    public var hasBufferedInput: Bool { SSL_has_pending(ssl) == 1 }

    /// Writes (part of) `buffer`; retry with the same remaining bytes after `.wantWrite`.
    public func write(_ buffer: UnsafeRawBufferPointer) -> TLSIOResult {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .done(0) }
        ERR_clear_error()
        let r = SSL_write(ssl, base, Int32(clamping: buffer.count))
        return r > 0 ? .done(Int(r)) : classify(r)
    }

    /// Sends close_notify once, best effort (non-blocking: never waits for the peer's).
    public func shutdown() {
        ERR_clear_error()
        if isHandshakeComplete { _ = SSL_shutdown(ssl) }
        ERR_clear_error()
    }

    /// The ALPN protocol agreed on, nil when the client offered none we speak.
    public var alpnProtocol: String? {
        var data: UnsafePointer<UInt8>? = nil
        var len: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &len)
        guard let data, len > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(len)), as: UTF8.self)
    }

    /// e.g. "TLSv1.3".
    public var protocolVersion: String {
        guard let v = SSL_get_version(ssl) else { return "" }
        return String(cString: v)
    }

    /// Whether the client presented a certificate that verified.
    public var hasVerifiedPeerCertificate: Bool {
        guard let cert = SSL_get1_peer_certificate(ssl) else { return false }
        X509_free(cert)
        return SSL_get_verify_result(ssl) == X509_V_OK
    }

    /// The peer's certificate with a reference the caller must `X509_free`.
    func peerCertificate() -> OpaquePointer? { SSL_get1_peer_certificate(ssl) }

    private func classify(_ r: Int32) -> TLSIOResult {
        let err = SSL_get_error(ssl, r)
        switch err {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        case SSL_ERROR_ZERO_RETURN: return .closed
        case SSL_ERROR_SYSCALL:
            let reason = drainOpenSSLErrors()
            return reason.isEmpty ? .closed : .failed(reason)
        default:
            let reason = drainOpenSSLErrors()
            return .failed(reason.isEmpty ? "TLS error \(err)" : reason)
        }
    }
}
