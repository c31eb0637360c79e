import CLinux
import COpenSSL
import Glibc

/// A client `SSL_CTX`: TLS 1.2+, peer verification always on (against `trustedCAs` or the
/// system store), optional client certificate, ALPN offer. Immutable once built, shared by
/// every connection to the same server.
public final class TLSClientContext: @unchecked Sendable {
    let ctx: OpaquePointer
    public let configuration: TLSClientConfiguration

    public init(configuration: TLSClientConfiguration) throws(TLSError) {
        self.configuration = configuration
        // A write to a connection the server closed must fail with EPIPE, not kill the process.
        shim_ignore_sigpipe()
        _ = drainOpenSSLErrors()
        guard let method = TLS_client_method(), let ctx = SSL_CTX_new(method) else {
            throw TLSError("cannot create TLS client context: \(drainOpenSSLErrors())")
        }
        self.ctx = ctx
        try configure(configuration)
    }

    deinit { SSL_CTX_free(ctx) }

    private func configure(_ c: TLSClientConfiguration) throws(TLSError) {
        let minimum = c.minimumTLSVersion == .tls13 ? TLS1_3_VERSION : TLS1_2_VERSION
        guard shim_SSL_CTX_set_min_proto_version(ctx, minimum) == 1 else {
            throw TLSError("cannot set minimum TLS version: \(drainOpenSSLErrors())")
        }
        // A peer that closes without close_notify reads as EOF; HTTP framing then decides whether
        // the answer was complete (Content-Length/chunked) or truncated.
        _ = SSL_CTX_set_options(ctx, shim_SSL_OP_NO_COMPRESSION() | shim_SSL_OP_NO_RENEGOTIATION()
                                     | shim_SSL_OP_IGNORE_UNEXPECTED_EOF())
        _ = shim_SSL_CTX_set_mode(ctx, Int(SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER))
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nil)

        if let cas = c.trustedCAs {
            let pem = try Self.load(cas, what: "CA")
            guard let store = SSL_CTX_get_cert_store(ctx) else {
                throw TLSError("TLS client context has no certificate store")
            }
            let certs = try Self.certificates(pem, source: cas, what: "CA")
            for cert in certs {
                // A duplicate in the bundle is harmless; anything else is reported.
                if X509_STORE_add_cert(store, cert) != 1 {
                    let reason = drainOpenSSLErrors()
                    if !reason.contains("already in hash table") && !reason.isEmpty {
                        for x in certs { X509_free(x) }
                        throw TLSError("CA \(cas.label): \(reason)")
                    }
                }
            }
            for x in certs { X509_free(x) }
        } else if SSL_CTX_set_default_verify_paths(ctx) != 1 {
            throw TLSError("cannot load the system trust store: \(drainOpenSSLErrors())")
        }

        switch (c.certificate, c.privateKey) {
        case (nil, nil):
            break
        case (.some, nil), (nil, .some):
            throw TLSError("a client certificate needs its private key and the other way round")
        case (.some(let certSource), .some(let keySource)):
            let certs = try Self.certificates(try Self.load(certSource, what: "client certificate"),
                                              source: certSource, what: "client certificate")
            guard let leaf = certs.first else {
                throw TLSError("client certificate \(certSource.label) holds no certificate")
            }
            let used = SSL_CTX_use_certificate(ctx, leaf)
            X509_free(leaf)
            guard used == 1 else {
                for x in certs.dropFirst() { X509_free(x) }
                throw TLSError("client certificate \(certSource.label): \(drainOpenSSLErrors())")
            }
            for x in certs.dropFirst() where shim_SSL_CTX_add_extra_chain_cert(ctx, x) != 1 {
                X509_free(x)  // ownership passes to the context only on success
            }
            let keyPEM = try Self.load(keySource, what: "client key")
            let key = keyPEM.withUnsafeBytes { raw -> OpaquePointer? in
                guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(clamping: raw.count)) else { return nil }
                defer { BIO_free(bio) }
                return PEM_read_bio_PrivateKey(bio, nil, nil, nil)
            }
            guard let key else {
                throw TLSError("client key \(keySource.label) is not a valid PEM private key: \(drainOpenSSLErrors())")
            }
            defer { EVP_PKEY_free(key) }
            guard SSL_CTX_use_PrivateKey(ctx, key) == 1, SSL_CTX_check_private_key(ctx) == 1 else {
                _ = drainOpenSSLErrors()
                throw TLSError("client key \(keySource.label) does not match certificate \(certSource.label)")
            }
        }

        var wire: [UInt8] = []
        for p in c.alpnProtocols where !p.isEmpty && p.utf8.count < 256 {
            wire.append(UInt8(p.utf8.count))
            wire.append(contentsOf: p.utf8)
        }
        if !wire.isEmpty {
            // Note the inverted convention: 0 is success for this call.
            guard SSL_CTX_set_alpn_protos(ctx, wire, UInt32(wire.count)) == 0 else {
                throw TLSError("cannot set ALPN protocols: \(drainOpenSSLErrors())")
            }
        }
    }

    private static func load(_ source: PEMSource, what: String) throws(TLSError) -> [UInt8] {
        switch source {
        case .bytes(let b):
            return b
        case .file(let path):
            guard let f = fopen(path, "rb") else {
                throw TLSError("\(what) file \(path): \(String(cString: strerror(errno)))")
            }
            defer { fclose(f) }
            var out: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 16384)
            while true {
                let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
                if n > 0 { out.append(contentsOf: chunk[0..<n]) }
                if n < chunk.count { break }
                if out.count > 16 << 20 { throw TLSError("\(what) file \(path) is larger than 16 MiB") }
            }
            if ferror(f) != 0 { throw TLSError("\(what) file \(path): read error") }
            return out
        }
    }

    /// Every certificate in a PEM bundle, in order (caller frees); throws when there is none.
    private static func certificates(_ pem: [UInt8], source: PEMSource, what: String) throws(TLSError) -> [OpaquePointer] {
        var certs: [OpaquePointer] = []
        pem.withUnsafeBytes { raw in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(clamping: raw.count)) else { return }
            defer { BIO_free(bio) }
            while let x = PEM_read_bio_X509(bio, nil, nil, nil) { certs.append(x) }
        }
        _ = drainOpenSSLErrors()  // the loop ends on a "no start line" error
        if certs.isEmpty { throw TLSError("\(what) \(source.label) holds no PEM certificate") }
        return certs
    }
}
