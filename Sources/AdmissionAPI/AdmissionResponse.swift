import JSONPatch

/// Which webhook endpoint answers: the mutating one may patch, the validating one never does.
public enum AdmissionEndpoint: String, Sendable, Hashable, CaseIterable {
    case mutating
    case validating
}

/// A `metav1.Status` as carried by a denial (`code` ≥ 400, `reason`, one-line `message`).
public struct Status: Sendable, Hashable {
    public struct Cause: Sendable, Hashable {
        public var reason: String
        public var message: String
        public var field: String
        public init(reason: String, message: String, field: String) {
            self.reason = reason; self.message = message; self.field = field
        }
    }

    public struct Details: Sendable, Hashable {
        public var name: String
        public var group: String
        public var kind: String
        public var causes: [Cause]
        public init(name: String = "", group: String = "", kind: String = "", causes: [Cause] = []) {
            self.name = name; self.group = group; self.kind = kind; self.causes = causes
        }
    }

    public var code: Int
    /// Kubernetes `StatusReason`, e.g. `Invalid`, `Forbidden`, `InternalError`.
    public var reason: String
    public var message: String
    public var details: Details?

    public init(code: Int, reason: String, message: String, details: Details? = nil) {
        self.code = code; self.reason = reason; self.message = message; self.details = details
    }
}

/// The `response` of an AdmissionReview, before encoding. The encoder enforces the
/// apiserver contract (patch only when allowed and asked for, denial status ≥ 400,
/// sanitised warnings, valid audit annotation keys), whatever was put in here.
public struct AdmissionResponse: Sendable {
    public var uid: String
    public var allowed: Bool
    public var status: Status?
    /// JSON Patch against the object that was sent; encoded only when non-empty.
    public var patch: [PatchOperation]
    public var warnings: [String]
    /// Keys without the webhook prefix (the apiserver adds `<webhook name>/`).
    public var auditAnnotations: [String: String]

    public init(uid: String, allowed: Bool, status: Status? = nil, patch: [PatchOperation] = [],
                warnings: [String] = [], auditAnnotations: [String: String] = [:]) {
        self.uid = uid; self.allowed = allowed; self.status = status; self.patch = patch
        self.warnings = warnings; self.auditAnnotations = auditAnnotations
    }

    // MARK: - helpers (after controller-runtime's admission.Allowed/Denied/Patched/Errored)

    public static func allowed(uid: String, warnings: [String] = []) -> AdmissionResponse {
        AdmissionResponse(uid: uid, allowed: true, warnings: warnings)
    }

    /// A denial the user sees as `admission webhook "<name>" denied the request: <message>`.
    public static func denied(uid: String, code: Int = 403, reason: String = "Forbidden", message: String,
                              details: Status.Details? = nil) -> AdmissionResponse {
        AdmissionResponse(uid: uid, allowed: false,
                          status: Status(code: code, reason: reason, message: message, details: details))
    }

    /// Allowed with a patch (an empty patch is the same as `allowed`).
    public static func patched(uid: String, _ ops: [PatchOperation], warnings: [String] = []) -> AdmissionResponse {
        AdmissionResponse(uid: uid, allowed: true, patch: ops, warnings: warnings)
    }

    /// The webhook could not decide: a denial with a 5xx-class (or given) code.
    public static func errored(uid: String, code: Int = 500, message: String) -> AdmissionResponse {
        let reason: String
        switch code {
        case 400: reason = "BadRequest"
        case 403: reason = "Forbidden"
        case 404: reason = "NotFound"
        case 422: reason = "Invalid"
        case 429: reason = "TooManyRequests"
        case 503: reason = "ServiceUnavailable"
        case 504: reason = "Timeout"
        default: reason = "InternalError"
        }
        return AdmissionResponse(uid: uid, allowed: false, status: Status(code: code, reason: reason, message: message))
    }
}
