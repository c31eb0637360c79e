import Prometheus

// Computed because `MetricNameDescriptor` is not Sendable; only built on a cache miss.
extension WebhookMetrics {
    private static func name(_ base: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "mpa", subsystem: "admission", metricName: base, unitName: unit, helpText: help)
    }

    static var requestsName: MetricNameDescriptor { name("requests", "total", "Admission requests by endpoint, resource, operation and result.") }
    static var durationName: MetricNameDescriptor { name("request_duration", "seconds", "Time from request read to response written, per endpoint.") }
    static var ruleEvaluationsName: MetricNameDescriptor { name("rule_evaluations", "total", "Rule runs by rule and result.") }
    static var ruleErrorsName: MetricNameDescriptor { name("rule_errors", "total", "Rule runs that threw or timed out.") }
    static var podsPatchedName: MetricNameDescriptor { name("pods_patched", "total", "Pod admissions answered with a patch.") }
    static var inFlightName: MetricNameDescriptor { name("in_flight_requests", "", "Admission requests being handled now.") }
    static var connectionsName: MetricNameDescriptor { name("http_connections", "", "Open client connections by protocol.") }
    static var tlsErrorsName: MetricNameDescriptor { name("tls_handshake_errors", "total", "Failed TLS handshakes.") }
    static var certReloadsName: MetricNameDescriptor { name("certificate_reloads", "total", "Serving certificate reload attempts by result.") }
    static var certExpiryName: MetricNameDescriptor { name("certificate_expiry_timestamp", "seconds", "notAfter of the serving certificate, Unix time.") }
    static var stateSyncedName: MetricNameDescriptor { name("state_synced", "", "1 when the cluster state cache has synced, else 0.") }
    static var stateObjectsName: MetricNameDescriptor { name("state_objects", "", "Objects held in the cluster state cache by kind.") }
    static var watchRestartsName: MetricNameDescriptor { name("state_watch_restarts", "total", "Watch restarts by kind.") }
}
