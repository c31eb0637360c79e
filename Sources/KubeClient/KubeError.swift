import JSON

/// Every failure of the Kubernetes API client, with enough text to act on.
public enum KubeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Bad or missing kubeconfig / in-cluster settings.
    case configuration(String)
    /// Connect, TLS, read/write, timeout, malformed HTTP: the request may be retried.
    case transport(String)
    /// The API server answered with a non-2xx status; `message` is the Status message when given.
    case status(code: Int, reason: String, message: String)
    /// A 2xx answer whose body is not what the API promises.
    case decoding(String)
    /// The caller stopped the operation.
    case cancelled

    public var description: String {
        switch self {
        case .configuration(let m): return "kube client configuration: \(m)"
        case .transport(let m): return "kube API transport: \(m)"
        case .status(let code, let reason, let message):
            return "kube API answered \(code)\(reason.isEmpty ? "" : " \(reason)")\(message.isEmpty ? "" : ": \(message)")"
        case .decoding(let m): return "kube API response: \(m)"
        case .cancelled: return "cancelled"
        }
    }

    /// The HTTP status when the server answered one.
    public var statusCode: Int? {
        if case .status(let code, _, _) = self { return code }
        return nil
    }

    /// Builds a `.status` error from a response, taking `message`/`reason` from a Status body.
    static func from(_ response: KubeResponse) -> KubeError {
        var reason = ""
        var message = ""
        if let body = try? JSONParser.parse(response.body), body["kind"]?.stringValue == "Status" {
            reason = body["reason"]?.stringValue ?? ""
            message = body["message"]?.stringValue ?? ""
        } else if !response.body.isEmpty {
            message = String(decoding: response.body.prefix(256), as: UTF8.self)
        }
        return .status(code: response.status, reason: reason, message: message)
    }
}
