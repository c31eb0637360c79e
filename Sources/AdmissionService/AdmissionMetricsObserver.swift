import AdmissionAPI
import AdmissionRules
import AdmissionWebhook
import Observability
import WebhookHTTP

/// Counts every admission decision: requests by endpoint/resource/operation/result with their
/// duration, each rule's result, and pods answered with a patch. (The handler logs the decision.)
public struct AdmissionMetricsObserver: AdmissionObserver {
    public let metrics: WebhookMetrics

    public init(metrics: WebhookMetrics) { self.metrics = metrics }

    public func observe(_ d: AdmissionDecision) {
        metrics.recordAdmission(endpoint: Self.endpointLabel(d.endpoint), resource: d.resource?.resource ?? "unknown",
                                operation: d.operation?.rawValue ?? "unknown", result: Self.result(d.result),
                                duration: d.latency)
        for evaluation in d.report?.rules ?? [] {
            metrics.recordRuleEvaluation(rule: evaluation.rule, result: Self.result(evaluation.result))
        }
        if d.result == .patched, let r = d.resource, r.group.isEmpty, r.resource == "pods", d.subResource.isEmpty {
            metrics.recordPodPatched()
        }
    }

    /// The path name: `mutate` or `validate`.
    public static func endpointLabel(_ e: AdmissionEndpoint) -> String {
        e == .mutating ? "mutate" : "validate"
    }

    static func result(_ r: AdmissionDecision.Result) -> AdmissionResult {
        switch r {
        case .allowed: return .allowed
        case .patched: return .patched
        case .denied: return .denied
        case .errored, .badRequest, .unsupportedMediaType: return .error
        }
    }

    static func result(_ r: RuleResult) -> AdmissionResult {
        switch r {
        case .patched: return .patched
        case .unchanged, .valid, .skipped: return .allowed
        case .violations: return .denied
        case .failed: return .error
        }
    }
}

/// Keeps `mpa_admission_in_flight_requests` around another handler.
struct InFlightCounting: HTTPHandler {
    let inner: any HTTPHandler
    let metrics: WebhookMetrics

    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        metrics.requestStarted()
        defer { metrics.requestFinished() }
        return await inner.handle(request)
    }
}
