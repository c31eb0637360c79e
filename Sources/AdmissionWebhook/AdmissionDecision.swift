import AdmissionAPI
import AdmissionRules

/// One handled call, for a log line and metrics.
public struct AdmissionDecision: Sendable {
    public enum Result: String, Sendable, Hashable {
        case allowed, patched, denied, errored
        /// The body was not an AdmissionReview (HTTP 400).
        case badRequest = "bad_request"
        /// Wrong Content-Type (HTTP 415).
        case unsupportedMediaType = "unsupported_media_type"
    }

    public var endpoint: AdmissionEndpoint
    public var result: Result
    /// HTTP status sent.
    public var httpStatus: Int
    /// Empty when the body could not be decoded.
    public var uid: String
    public var namespace: String
    public var name: String
    public var operation: AdmissionOperation?
    public var resource: GroupVersionResource?
    public var subResource: String
    public var dryRun: Bool
    public var version: AdmissionReviewVersion?
    /// Rule evaluations (nil when no review ran).
    public var report: EvaluationReport?
    /// The denial's status, when denied or errored.
    public var status: Status?
    /// Why the request was rejected before review (400/415).
    public var problem: String?
    public var latency: Duration
}

/// Receives every decision; the app logs and counts with it. Must be cheap and not throw.
public protocol AdmissionObserver: Sendable {
    func observe(_ decision: AdmissionDecision)
}

/// An observer made from a closure.
public struct AdmissionObserverFunction: AdmissionObserver {
    let body: @Sendable (AdmissionDecision) -> Void
    public init(_ body: @escaping @Sendable (AdmissionDecision) -> Void) { self.body = body }
    public func observe(_ decision: AdmissionDecision) { body(decision) }
}
