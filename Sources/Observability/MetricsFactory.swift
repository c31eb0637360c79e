import CoreMetrics
import Prometheus

/// A swift-metrics factory writing into `registry`, for code that records through `Metrics`
/// (e.g. `Counter(label:)`). The app passes it to `MetricsSystem.bootstrap` itself; this library never does.
public func makeMetricsFactory(registry: PrometheusCollectorRegistry) -> any MetricsFactory {
    var factory = PrometheusMetricsFactory(registry: registry)
    factory.defaultDurationHistogramBuckets = WebhookMetrics.durationBuckets
    return factory
}
