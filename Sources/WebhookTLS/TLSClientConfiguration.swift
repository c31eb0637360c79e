/// Where a PEM object for a client context comes from: a file (read when the context is built)
/// or bytes already in memory (kubeconfig `*-data` fields).
public enum PEMSource: Sendable, Equatable {
    case file(String)
    case bytes([UInt8])

    /// A short name for error messages (never the bytes themselves: they may hold a key).
    public var label: String {
        switch self {
        case .file(let path): return path
        case .bytes: return "inline PEM data"
        }
    }
}

/// What a client TLS context is built from.
public struct TLSClientConfiguration: Sendable, Equatable {
    /// CAs the server certificate must chain to; nil = the system's default trust store.
    public var trustedCAs: PEMSource?
    /// Client certificate (chain) and key for mutual TLS; both or neither.
    public var certificate: PEMSource?
    public var privateKey: PEMSource?
    public var minimumTLSVersion: TLSConfiguration.MinimumVersion
    /// Offered in this order; the default speaks HTTP/1.1 only.
    public var alpnProtocols: [String]

    public init(trustedCAs: PEMSource? = nil, certificate: PEMSource? = nil, privateKey: PEMSource? = nil,
                minimumTLSVersion: TLSConfiguration.MinimumVersion = .tls12,
                alpnProtocols: [String] = ["http/1.1"]) {
        self.trustedCAs = trustedCAs
        self.certificate = certificate
        self.privateKey = privateKey
        self.minimumTLSVersion = minimumTLSVersion
        self.alpnProtocols = alpnProtocols
    }
}
