import Prometheus
import Synchronization

/// Every series the webhook exports, recorded through typed methods.
///
/// Label-resolved handles are cached (dictionary behind a `Mutex`, one lookup per call), so the
/// per-request cost is a hash of the label strings plus an atomic add. Label values the caller does
/// not control should be bounded: after `maxLabelSets` distinct sets per family, new values are
/// folded into `"other"` so a misbehaving client cannot grow the registry without bound.
public final class WebhookMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let maxLabelSets: Int

    /// 0.25 ms … 10 s.
    public static let durationBuckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]

    static let overflowLabel = "other"

    private struct RequestKey: Hashable {
        var endpoint: String
        var resource: String
        var operation: String
    }

    /// One counter per `AdmissionResult` (indexed by raw value) and the endpoint's histogram.
    private struct RequestHandles {
        var counters: [Counter]
        var duration: DurationHistogram
    }

    private let requestCounters = Mutex<[RequestKey: RequestHandles]>([:])
    private let durations = Mutex<[String: DurationHistogram]>([:])
    /// Per rule: one counter per result, then the error counter.
    private let ruleCounters = Mutex<[String: (results: [Counter], errors: Counter)]>([:])
    private let stateKinds = Mutex<[String: (objects: Gauge, restarts: Counter)]>([:])

    private let podsPatched: Counter
    private let inFlight: Gauge
    private let connections: [Gauge]
    private let tlsHandshakeErrors: Counter
    private let certificateReloads: [Counter]
    private let certificateExpiry: Gauge
    private let stateSynced: Gauge

    public init(registry: PrometheusCollectorRegistry, maxLabelSets: Int = 512) {
        self.registry = registry
        self.maxLabelSets = max(1, maxLabelSets)
        podsPatched = registry.makeCounter(descriptor: Self.podsPatchedName)
        inFlight = registry.makeGauge(descriptor: Self.inFlightName)
        connections = HTTPProtocolLabel.allCases.map {
            registry.makeGauge(descriptor: Self.connectionsName, labels: [("protocol", $0.label)])
        }
        tlsHandshakeErrors = registry.makeCounter(descriptor: Self.tlsErrorsName)
        certificateReloads = CertificateReloadResult.allCases.map {
            registry.makeCounter(descriptor: Self.certReloadsName, labels: [("result", $0.label)])
        }
        certificateExpiry = registry.makeGauge(descriptor: Self.certExpiryName)
        stateSynced = registry.makeGauge(descriptor: Self.stateSyncedName)
    }

    // MARK: requests

    /// Counts one finished admission request and records its duration (one cache lookup).
    public func recordAdmission(endpoint: String, resource: String, operation: String,
                                result: AdmissionResult, duration: Duration) {
        let handles = requestHandles(endpoint: endpoint, resource: resource, operation: operation)
        handles.counters[result.rawValue].increment()
        handles.duration.record(duration)
    }

    /// `mpa_admission_requests_total{endpoint,resource,operation,result}` += 1.
    public func recordRequest(endpoint: String, resource: String, operation: String, result: AdmissionResult) {
        requestHandles(endpoint: endpoint, resource: resource, operation: operation).counters[result.rawValue].increment()
    }

    private func requestHandles(endpoint: String, resource: String, operation: String) -> RequestHandles {
        requestCounters.withLock { cache -> RequestHandles in
            var key = RequestKey(endpoint: endpoint, resource: resource, operation: operation)
            if let hit = cache[key] { return hit }
            if cache.count >= maxLabelSets {
                key = RequestKey(endpoint: endpoint, resource: Self.overflowLabel, operation: Self.overflowLabel)
                if let hit = cache[key] { return hit }
            }
            let counters = AdmissionResult.allCases.map {
                registry.makeCounter(descriptor: Self.requestsName,
                                     labels: [("endpoint", key.endpoint), ("resource", key.resource),
                                              ("operation", key.operation), ("result", $0.label)])
            }
            let made = RequestHandles(counters: counters, duration: durationHistogram(endpoint: endpoint))
            cache[key] = made
            return made
        }
    }

    /// `mpa_admission_request_duration_seconds{endpoint}`.
    public func observeDuration(endpoint: String, _ duration: Duration) {
        durationHistogram(endpoint: endpoint).record(duration)
    }

    private func durationHistogram(endpoint: String) -> DurationHistogram {
        durations.withLock { cache -> DurationHistogram in
            var key = endpoint
            if let hit = cache[key] { return hit }
            if cache.count >= maxLabelSets {
                key = Self.overflowLabel
                if let hit = cache[key] { return hit }
            }
            let made = registry.makeDurationHistogram(descriptor: Self.durationName, labels: [("endpoint", key)],
                                                      buckets: Self.durationBuckets)
            cache[key] = made
            return made
        }
    }

    /// `mpa_admission_in_flight_requests` += 1; pair with `requestFinished()`.
    public func requestStarted() { inFlight.increment() }
    public func requestFinished() { inFlight.decrement() }

    /// `mpa_admission_pods_patched_total` += 1.
    public func recordPodPatched() { podsPatched.increment() }

    // MARK: rules

    /// `mpa_admission_rule_evaluations_total{rule,result}` += 1; a `.error` result also counts
    /// `mpa_admission_rule_errors_total{rule}`, so callers make one call per rule run.
    public func recordRuleEvaluation(rule: String, result: AdmissionResult) {
        let handles = ruleHandles(rule)
        handles.results[result.rawValue].increment()
        if result == .error { handles.errors.increment() }
    }

    private func ruleHandles(_ rule: String) -> (results: [Counter], errors: Counter) {
        ruleCounters.withLock { cache in
            var key = rule
            if let hit = cache[key] { return hit }
            if cache.count >= maxLabelSets {
                key = Self.overflowLabel
                if let hit = cache[key] { return hit }
            }
            let results = AdmissionResult.allCases.map {
                registry.makeCounter(descriptor: Self.ruleEvaluationsName, labels: [("rule", key), ("result", $0.label)])
            }
            let errors = registry.makeCounter(descriptor: Self.ruleErrorsName, labels: [("rule", key)])
            cache[key] = (results, errors)
            return (results, errors)
        }
    }

    // MARK: transport

    /// `mpa_admission_http_connections{protocol}` += 1; pair with `connectionClosed`.
    public func connectionOpened(_ proto: HTTPProtocolLabel) { connections[proto.rawValue].increment() }
    public func connectionClosed(_ proto: HTTPProtocolLabel) { connections[proto.rawValue].decrement() }

    /// `mpa_admission_tls_handshake_errors_total` += 1.
    public func recordTLSHandshakeError() { tlsHandshakeErrors.increment() }

    /// `mpa_admission_certificate_reloads_total{result}` += 1.
    public func recordCertificateReload(_ result: CertificateReloadResult) {
        certificateReloads[result.rawValue].increment()
    }

    /// `mpa_admission_certificate_expiry_timestamp_seconds` = the serving certificate's notAfter (Unix seconds).
    public func setCertificateExpiry(unixSeconds: Int64) { certificateExpiry.set(to: Double(unixSeconds)) }

    // MARK: cluster state

    /// `mpa_admission_state_synced` = 1 or 0.
    public func setStateSynced(_ synced: Bool) { stateSynced.set(to: synced ? 1 : 0) }

    /// `mpa_admission_state_objects{kind}` = count.
    public func setStateObjects(kind: String, count: Int) { kindHandles(kind).objects.set(to: Double(count)) }

    /// `mpa_admission_state_watch_restarts_total{kind}` += 1.
    public func recordWatchRestart(kind: String) { kindHandles(kind).restarts.increment() }

    private func kindHandles(_ kind: String) -> (objects: Gauge, restarts: Counter) {
        stateKinds.withLock { cache in
            var key = kind
            if let hit = cache[key] { return hit }
            if cache.count >= maxLabelSets {
                key = Self.overflowLabel
                if let hit = cache[key] { return hit }
            }
            let objects = registry.makeGauge(descriptor: Self.stateObjectsName, labels: [("kind", key)])
            let restarts = registry.makeCounter(descriptor: Self.watchRestartsName, labels: [("kind", key)])
            cache[key] = (objects, restarts)
            return (objects, restarts)
        }
    }

    // MARK: exposition

    /// The whole registry (including anything else registered on it) in Prometheus text format 0.0.4.
    public func exposition() -> [UInt8] { registry.emitToBuffer() }

    /// The content type for `exposition()`.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}
