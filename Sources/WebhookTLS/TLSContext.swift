import COpenSSL
import Glibc

/// A server `SSL_CTX` configured for the webhook: TLS 1.2+ (or 1.3+), server cipher preference,
/// ECDHE AEAD suites only for 1.2, no compression, no renegotiation, ALPN h2/http1.1.
/// Immutable once built, so one context can serve handshakes on every thread.
public final class TLSContext: @unchecked Sendable {
    let ctx: OpaquePointer
    /// ALPN preference in wire format, read by the select callback through `alpnBox`.
    private let alpnBox: ALPNPreference
    /// Client names allowed past verification, read by the verify callback through this box.
    private let clientNamesBox: AllowedClientNames
    public let configuration: TLSConfiguration

    static let tls12Ciphers = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
    ].joined(separator: ":")

    public init(configuration: TLSConfiguration) throws(TLSError) {
        self.configuration = configuration
        _ = drainOpenSSLErrors()
        guard let method = TLS_server_method(), let ctx = SSL_CTX_new(method) else {
            throw TLSError("cannot create TLS context: \(drainOpenSSLErrors())")
        }
        self.ctx = ctx
        self.alpnBox = ALPNPreference(configuration.alpnProtocols)
        self.clientNamesBox = AllowedClientNames(configuration.allowedClientNames)
        try configure(configuration)
    }

    deinit { SSL_CTX_free(ctx) }

    private func configure(_ c: TLSConfiguration) throws(TLSError) {
        let minimum = c.minimumTLSVersion == .tls13 ? TLS1_3_VERSION : TLS1_2_VERSION
        guard shim_SSL_CTX_set_min_proto_version(ctx, minimum) == 1 else {
            throw TLSError("cannot set minimum TLS version: \(drainOpenSSLErrors())")
        }
        let options = shim_SSL_OP_CIPHER_SERVER_PREFERENCE() | shim_SSL_OP_NO_COMPRESSION()
            | shim_SSL_OP_NO_RENEGOTIATION()
        _ = SSL_CTX_set_options(ctx, options)
        _ = shim_SSL_CTX_set_mode(ctx, Int(SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER
                                           | SSL_MODE_RELEASE_BUFFERS))
        guard SSL_CTX_set_cipher_list(ctx, Self.tls12Ciphers) == 1 else {
            throw TLSError("cannot set TLS 1.2 cipher list: \(drainOpenSSLErrors())")
        }
        _ = shim_SSL_CTX_set1_groups_list(ctx, "X25519:P-256:P-384")
        _ = drainOpenSSLErrors()

        try Self.checkReadable(c.certificateFile, what: "certificate file")
        try Self.checkReadable(c.privateKeyFile, what: "private key file")
        guard SSL_CTX_use_certificate_chain_file(ctx, c.certificateFile) == 1 else {
            throw TLSError("certificate file \(c.certificateFile) is not a valid PEM certificate: \(drainOpenSSLErrors())")
        }
        guard SSL_CTX_use_PrivateKey_file(ctx, c.privateKeyFile, SSL_FILETYPE_PEM) == 1 else {
            let reason = drainOpenSSLErrors()
            if reason.contains("key values mismatch") {
                throw TLSError("private key \(c.privateKeyFile) does not match certificate \(c.certificateFile)")
            }
            throw TLSError("private key file \(c.privateKeyFile) is not a valid PEM private key: \(reason)")
        }
        guard SSL_CTX_check_private_key(ctx) == 1 else {
            _ = drainOpenSSLErrors()
            throw TLSError("private key \(c.privateKeyFile) does not match certificate \(c.certificateFile)")
        }

        if let ca = c.clientCAFile {
            try Self.checkReadable(ca, what: "client CA file")
            guard SSL_CTX_load_verify_locations(ctx, ca, nil) == 1, let names = SSL_load_client_CA_file(ca) else {
                throw TLSError("client CA file \(ca) holds no usable PEM certificate: \(drainOpenSSLErrors())")
            }
            SSL_CTX_set_client_CA_list(ctx, names)
            let mode = SSL_VERIFY_PEER | (c.requireClientCert ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0)
            SSL_CTX_set_verify(ctx, mode, nil)
            // Session resumption with client certificates needs a context id.
            let id: [UInt8] = Array("mpa-admission".utf8)
            _ = SSL_CTX_set_session_id_context(ctx, id, UInt32(id.count))
        } else if c.requireClientCert {
            throw TLSError("requireClientCert needs a client CA file")
        }
        if !c.allowedClientNames.isEmpty {
            guard c.clientCAFile != nil, c.requireClientCert else {
                throw TLSError("allowed client names need a client CA file and requireClientCert")
            }
            SSL_CTX_set_cert_verify_callback(ctx, verifyClientCertificate,
                                             Unmanaged.passUnretained(clientNamesBox).toOpaque())
        }

        SSL_CTX_set_alpn_select_cb(ctx, alpnSelect, Unmanaged.passUnretained(alpnBox).toOpaque())
    }

    private static func checkReadable(_ path: String, what: String) throws(TLSError) {
        if access(path, R_OK) != 0 {
            let reason = String(cString: strerror(errno))
            throw TLSError("\(what) \(path): \(reason)")
        }
    }
}

/// Client certificate names accepted after chain verification; owned by its `TLSContext`.
final class AllowedClientNames {
    let names: [String]
    init(_ names: [String]) { self.names = names }
}

/// Verifies the chain as OpenSSL would, then requires the leaf to carry an allowed name.
private func verifyClientCertificate(_ store: OpaquePointer?, _ arg: UnsafeMutableRawPointer?) -> Int32 {
    guard let store, let arg else { return 0 }
    let chainOK = X509_verify_cert(store)
    guard chainOK == 1 else { return chainOK }
    let allowed = Unmanaged<AllowedClientNames>.fromOpaque(arg).takeUnretainedValue()
    guard let leaf = X509_STORE_CTX_get0_cert(store),
          PeerIdentity(certificate: leaf).matches(anyOf: allowed.names) else {
        X509_STORE_CTX_set_error(store, X509_V_ERR_APPLICATION_VERIFICATION)
        return 0
    }
    return 1
}

/// Server ALPN preference, wire-encoded; owned by its `TLSContext`.
final class ALPNPreference {
    let protocols: [[UInt8]]
    init(_ names: [String]) {
        protocols = names.map { Array($0.utf8) }.filter { !$0.isEmpty && $0.count < 256 }
    }
}

/// Picks the first server-preferred protocol the client offered; none → no ALPN (HTTP/1.1).
private func alpnSelect(_ ssl: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafePointer<UInt8>?>?,
                        _ outlen: UnsafeMutablePointer<UInt8>?, _ input: UnsafePointer<UInt8>?,
                        _ inlen: UInt32, _ arg: UnsafeMutableRawPointer?) -> Int32 {
    guard let out, let outlen, let input, let arg else { return SSL_TLSEXT_ERR_NOACK }
    let pref = Unmanaged<ALPNPreference>.fromOpaque(arg).takeUnretainedValue()
    let offered = UnsafeBufferPointer(start: input, count: Int(inlen))
    for wanted in pref.protocols {
        var i = 0
        while i < offered.count {
            let len = Int(offered[i])
            let start = i + 1
            guard start + len <= offered.count else { break }
            if len == wanted.count && offered[start..<(start + len)].elementsEqual(wanted) {
                out.pointee = input + start
                outlen.pointee = UInt8(len)
                return SSL_TLSEXT_ERR_OK
            }
            i = start + len
        }
    }
    return SSL_TLSEXT_ERR_NOACK
}
