import Observability
import Prometheus
import Testing
import WebhookHTTP

@Suite struct ObservabilityRoutesTests {
    static func router(_ metrics: WebhookMetrics, _ health: HealthState) -> Router {
        var router = Router()
        ObservabilityRoutes.addAll(to: &router, metrics: metrics, health: health)
        return router
    }

    static func get(_ router: Router, _ path: String) async -> (status: Int, body: String, type: String?) {
        let response = await router.handle(HTTPRequest(method: "GET", path: path))
        return (response.status, String(decoding: response.body, as: UTF8.self), response.headers["content-type"])
    }

    @Test func readyzListsReasonsUntilReady() async {
        let health = HealthState()
        let router = Self.router(WebhookMetrics(registry: PrometheusCollectorRegistry()), health)
        health.certificatesLoaded = true
        let notReady = await Self.get(router, "/readyz")
        #expect(notReady.status == 503)
        #expect(notReady.body == "not listening\ncluster state not synced\n")
        health.listening = true
        health.stateSynced = true
        let ready = await Self.get(router, "/readyz")
        #expect(ready.status == 200)
        #expect(ready.body == "ok\n")
    }

    @Test func healthzReflectsLivenessOnly() async {
        let health = HealthState()
        let router = Self.router(WebhookMetrics(registry: PrometheusCollectorRegistry()), health)
        let live = await Self.get(router, "/healthz")
        #expect(live.status == 200 && live.body == "ok\n", "not ready, but alive")
        let clock = FakeMonotonicClock()
        health.addLivenessProbe(LoopHeartbeat(name: "loop-1", maxSilence: .seconds(2), now: { clock.now() }))
        clock.advance(.seconds(3))
        let dead = await Self.get(router, "/healthz")
        #expect(dead.status == 503)
        #expect(dead.body == "event loop loop-1 has not ticked for 3000 ms\n")
    }

    @Test func metricsServesExposition() async {
        let metrics = WebhookMetrics(registry: PrometheusCollectorRegistry())
        metrics.recordPodPatched()
        let router = Self.router(metrics, HealthState())
        let response = await Self.get(router, "/metrics")
        #expect(response.status == 200)
        #expect(response.type == "text/plain; version=0.0.4; charset=utf-8")
        #expect(sampleValue(response.body, "mpa_admission_pods_patched_total") == "1")
        let post = await router.handle(HTTPRequest(method: "POST", path: "/metrics"))
        #expect(post.status == 405)
    }
}
