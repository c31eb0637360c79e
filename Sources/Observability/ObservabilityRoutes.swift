import WebhookHTTP

/// Adds the scrape and probe endpoints to a router; the app decides which listener serves them.
public enum ObservabilityRoutes {
    /// `GET /metrics`: the registry in Prometheus text format.
    public static func addMetrics(to router: inout Router, metrics: WebhookMetrics, path: String = "/metrics") {
        router.add("GET", path) { _ in
            HTTPResponse(status: 200, headers: ["content-type": WebhookMetrics.contentType], body: metrics.exposition())
        }
    }

    /// `GET /healthz` (liveness) and `GET /readyz` (readiness): `200 ok`, or 503 with one reason per line.
    public static func addHealth(to router: inout Router, health: HealthState,
                                 livenessPath: String = "/healthz", readinessPath: String = "/readyz") {
        router.add("GET", livenessPath) { _ in respond(health.livenessFailures) }
        router.add("GET", readinessPath) { _ in respond(health.readinessReasons) }
    }

    /// Both of the above.
    public static func addAll(to router: inout Router, metrics: WebhookMetrics, health: HealthState) {
        addMetrics(to: &router, metrics: metrics)
        addHealth(to: &router, health: health)
    }

    static func respond(_ problems: [String]) -> HTTPResponse {
        problems.isEmpty ? .text(200, "ok") : .text(503, problems.joined(separator: "\n"))
    }
}
