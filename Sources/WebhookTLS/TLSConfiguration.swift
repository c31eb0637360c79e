/// What a server TLS context is built from (PEM files).
public struct TLSConfiguration: Sendable, Equatable {
    public enum MinimumVersion: Sendable, Equatable {
        case tls12
        case tls13
    }

    public var certificateFile: String
    public var privateKeyFile: String
    /// PEM bundle of CAs that client certificates must chain to; nil = no client certificates asked for.
    public var clientCAFile: String?
    /// With a client CA: refuse handshakes without a valid client certificate.
    public var requireClientCert: Bool
    /// With a required client certificate: its CN or one of its SANs must be one of these
    /// (empty = any certificate that chains to the CA). Checked during the handshake.
    public var allowedClientNames: [String]
    public var minimumTLSVersion: MinimumVersion
    /// ALPN protocols in server preference order; a client offering none of them gets HTTP/1.1.
    public var alpnProtocols: [String]

    public init(certificateFile: String, privateKeyFile: String, clientCAFile: String? = nil,
                requireClientCert: Bool = false, minimumTLSVersion: MinimumVersion = .tls12,
                alpnProtocols: [String] = ["h2", "http/1.1"], allowedClientNames: [String] = []) {
        self.certificateFile = certificateFile
        self.privateKeyFile = privateKeyFile
        self.clientCAFile = clientCAFile
        self.requireClientCert = requireClientCert
        self.minimumTLSVersion = minimumTLSVersion
        self.alpnProtocols = alpnProtocols
        self.allowedClientNames = allowedClientNames
    }
}

/// Why a TLS context could not be built, with the file concerned and OpenSSL's reason.
public struct TLSError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
