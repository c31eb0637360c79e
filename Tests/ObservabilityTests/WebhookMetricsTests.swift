import Observability
import Prometheus
import Testing

@Suite struct WebhookMetricsTests {
    /// Two patched and one allowed pod CREATE on /mutate, one denied and one slow errored MPA UPDATE on /validate.
    static func recorded() -> String {
        let metrics = WebhookMetrics(registry: PrometheusCollectorRegistry())
        metrics.recordAdmission(endpoint: "/mutate", resource: "pods", operation: "CREATE", result: .patched, duration: .milliseconds(3))
        metrics.recordAdmission(endpoint: "/mutate", resource: "pods", operation: "CREATE", result: .patched, duration: .microseconds(4900))
        metrics.recordAdmission(endpoint: "/mutate", resource: "pods", operation: "CREATE", result: .allowed, duration: .microseconds(200))
        metrics.recordAdmission(endpoint: "/validate", resource: "multidimpodautoscalers", operation: "UPDATE",
                                result: .denied, duration: .milliseconds(30))
        metrics.recordAdmission(endpoint: "/validate", resource: "multidimpodautoscalers", operation: "UPDATE",
                                result: .error, duration: .seconds(12))
        metrics.recordPodPatched()
        metrics.recordPodPatched()
        metrics.recordRuleEvaluation(rule: "mpa-pod-defaulting", result: .patched)
        metrics.recordRuleEvaluation(rule: "mpa-pod-defaulting", result: .error)
        metrics.recordRuleEvaluation(rule: "mpa-validation", result: .denied)
        metrics.requestStarted(); metrics.requestStarted(); metrics.requestFinished()
        metrics.connectionOpened(.h2); metrics.connectionOpened(.h2); metrics.connectionClosed(.h2)
        metrics.connectionOpened(.http1)
        metrics.recordTLSHandshakeError()
        metrics.recordCertificateReload(.success)
        metrics.recordCertificateReload(.failure)
        metrics.recordCertificateReload(.success)
        metrics.setCertificateExpiry(unixSeconds: 1_795_330_800)
        metrics.setStateSynced(true)
        metrics.setStateObjects(kind: "MultidimPodAutoscaler", count: 3)
        metrics.recordWatchRestart(kind: "MultidimPodAutoscaler")
        return String(decoding: metrics.exposition(), as: UTF8.self)
    }

    static let requests = #"mpa_admission_requests_total{endpoint="/mutate",resource="pods",operation="CREATE""#
    static let mpaRequests = #"mpa_admission_requests_total{endpoint="/validate",resource="multidimpodautoscalers",operation="UPDATE""#
    static let mutateDuration = #"mpa_admission_request_duration_seconds"#

    @Test(arguments: [
        (requests + #",result="patched"}"#, "2"),
        (requests + #",result="allowed"}"#, "1"),
        (requests + #",result="denied"}"#, "0"),
        (requests + #",result="error"}"#, "0"),
        (mpaRequests + #",result="denied"}"#, "1"),
        (mpaRequests + #",result="error"}"#, "1"),
        (mutateDuration + #"_bucket{endpoint="/mutate",le="0.00025"}"#, "1"),
        (mutateDuration + #"_bucket{endpoint="/mutate",le="0.0025"}"#, "1"),
        (mutateDuration + #"_bucket{endpoint="/mutate",le="0.005"}"#, "3"),
        (mutateDuration + #"_bucket{endpoint="/mutate",le="+Inf"}"#, "3"),
        (mutateDuration + #"_count{endpoint="/mutate"}"#, "3"),
        (mutateDuration + #"_sum{endpoint="/mutate"}"#, "0.0081"),
        (mutateDuration + #"_bucket{endpoint="/validate",le="0.025"}"#, "0"),
        (mutateDuration + #"_bucket{endpoint="/validate",le="0.05"}"#, "1"),
        (mutateDuration + #"_bucket{endpoint="/validate",le="10.0"}"#, "1"),
        (mutateDuration + #"_bucket{endpoint="/validate",le="+Inf"}"#, "2"),
        (mutateDuration + #"_count{endpoint="/validate"}"#, "2"),
        ("mpa_admission_pods_patched_total", "2"),
        (#"mpa_admission_rule_evaluations_total{rule="mpa-pod-defaulting",result="patched"}"#, "1"),
        (#"mpa_admission_rule_evaluations_total{rule="mpa-pod-defaulting",result="error"}"#, "1"),
        (#"mpa_admission_rule_evaluations_total{rule="mpa-validation",result="denied"}"#, "1"),
        (#"mpa_admission_rule_errors_total{rule="mpa-pod-defaulting"}"#, "1"),
        (#"mpa_admission_rule_errors_total{rule="mpa-validation"}"#, "0"),
        ("mpa_admission_in_flight_requests", "1.0"),
        (#"mpa_admission_http_connections{protocol="h2"}"#, "1.0"),
        (#"mpa_admission_http_connections{protocol="http1"}"#, "1.0"),
        ("mpa_admission_tls_handshake_errors_total", "1"),
        (#"mpa_admission_certificate_reloads_total{result="success"}"#, "2"),
        (#"mpa_admission_certificate_reloads_total{result="failure"}"#, "1"),
        ("mpa_admission_certificate_expiry_timestamp_seconds", "1795330800.0"),
        ("mpa_admission_state_synced", "1.0"),
        (#"mpa_admission_state_objects{kind="MultidimPodAutoscaler"}"#, "3.0"),
        (#"mpa_admission_state_watch_restarts_total{kind="MultidimPodAutoscaler"}"#, "1"),
    ])
    func seriesValue(series: String, expected: String) {
        #expect(sampleValue(Self.recorded(), series) == expected)
    }

    @Test func typeAndHelpLinesForEveryFamily() {
        let text = Self.recorded()
        let families: [(String, String)] = [
            ("mpa_admission_requests_total", "counter"),
            ("mpa_admission_request_duration_seconds", "histogram"),
            ("mpa_admission_rule_evaluations_total", "counter"),
            ("mpa_admission_rule_errors_total", "counter"),
            ("mpa_admission_pods_patched_total", "counter"),
            ("mpa_admission_in_flight_requests", "gauge"),
            ("mpa_admission_http_connections", "gauge"),
            ("mpa_admission_tls_handshake_errors_total", "counter"),
            ("mpa_admission_certificate_reloads_total", "counter"),
            ("mpa_admission_certificate_expiry_timestamp_seconds", "gauge"),
            ("mpa_admission_state_synced", "gauge"),
            ("mpa_admission_state_objects", "gauge"),
            ("mpa_admission_state_watch_restarts_total", "counter"),
        ]
        for (name, type) in families {
            #expect(text.contains("# TYPE \(name) \(type)\n"), "\(name)")
            #expect(text.contains("# HELP \(name) "), "\(name)")
        }
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.count == families.count)
    }

    @Test func fixedSeriesExistBeforeAnythingIsRecorded() {
        let text = String(decoding: WebhookMetrics(registry: PrometheusCollectorRegistry()).exposition(), as: UTF8.self)
        #expect(sampleValue(text, "mpa_admission_pods_patched_total") == "0")
        #expect(sampleValue(text, "mpa_admission_state_synced") == "0.0")
        #expect(sampleValue(text, #"mpa_admission_certificate_reloads_total{result="failure"}"#) == "0")
        #expect(sampleValue(text, #"mpa_admission_http_connections{protocol="http1"}"#) == "0.0")
    }

    @Test func labelSetsBeyondTheCapFoldIntoOther() {
        let metrics = WebhookMetrics(registry: PrometheusCollectorRegistry(), maxLabelSets: 2)
        for resource in ["pods", "deployments", "statefulsets", "daemonsets"] {
            metrics.recordRequest(endpoint: "/mutate", resource: resource, operation: "CREATE", result: .allowed)
        }
        metrics.recordRequest(endpoint: "/mutate", resource: "pods", operation: "CREATE", result: .allowed)
        let text = String(decoding: metrics.exposition(), as: UTF8.self)
        let prefix = #"mpa_admission_requests_total{endpoint="/mutate",resource="#
        #expect(sampleValue(text, prefix + #""pods",operation="CREATE",result="allowed"}"#) == "2")
        #expect(sampleValue(text, prefix + #""deployments",operation="CREATE",result="allowed"}"#) == "1")
        #expect(sampleValue(text, prefix + #""other",operation="other",result="allowed"}"#) == "2")
        #expect(!text.contains("statefulsets"))
    }

    @Test func sharesTheRegistryWithSwiftMetricsFactory() {
        let registry = PrometheusCollectorRegistry()
        let metrics = WebhookMetrics(registry: registry)
        let factory = makeMetricsFactory(registry: registry)
        factory.makeCounter(label: "mpa_admission_extra_total", dimensions: []).increment(by: 4)
        #expect(sampleValue(String(decoding: metrics.exposition(), as: UTF8.self), "mpa_admission_extra_total") == "4")
    }
}
