/// How an admission request (or one rule within it) ended; the `result` label value.
public enum AdmissionResult: Int, Sendable, CaseIterable {
    /// Allowed without changes (a defaulter that changed nothing, a validator with no violations).
    case allowed
    /// Allowed with a JSON patch.
    case patched
    /// Denied (validation violations or a fail-closed rule).
    case denied
    /// The request or rule could not be evaluated (bad review, rule threw, timeout).
    case error

    public var label: String {
        switch self {
        case .allowed: return "allowed"
        case .patched: return "patched"
        case .denied: return "denied"
        case .error: return "error"
        }
    }
}

/// The `protocol` label of `mpa_admission_http_connections`.
public enum HTTPProtocolLabel: Int, Sendable, CaseIterable {
    case http1
    case h2

    public var label: String { self == .http1 ? "http1" : "h2" }
}

/// The `result` label of `mpa_admission_certificate_reloads_total`.
public enum CertificateReloadResult: Int, Sendable, CaseIterable {
    case success
    case failure

    public var label: String { self == .success ? "success" : "failure" }
}
