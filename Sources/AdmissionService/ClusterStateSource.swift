import Observability

/// Where the rules' view of the cluster comes from: a snapshot read at start-up (`--state`), or a
/// live cache fed by list/watch (`--kubeconfig`, in-cluster). The service starts it once its
/// listeners are up and reports readiness from what it says through the reporter.
public protocol ClusterStateSource: Sendable {
    /// For the start-up log line, e.g. `snapshot manifests/examples`.
    var summary: String { get }
    /// Begins loading or watching. Report `synced(true)` once the first complete view is in (and
    /// `synced(false)` if it is lost later). Throwing stops the service before it becomes ready.
    func start(reporter: ClusterStateReporter) async throws
    /// Stops watching (called during shutdown).
    func stop() async
}

/// What a state source tells the rest of the service: readiness and the state metrics.
public struct ClusterStateReporter: Sendable {
    let health: HealthState
    let metrics: WebhookMetrics

    public init(health: HealthState, metrics: WebhookMetrics) {
        self.health = health
        self.metrics = metrics
    }

    /// `/readyz` and `mpa_admission_state_synced`.
    public func synced(_ synced: Bool) {
        health.stateSynced = synced
        metrics.setStateSynced(synced)
    }

    /// `mpa_admission_state_objects{kind}`.
    public func objects(kind: String, count: Int) { metrics.setStateObjects(kind: kind, count: count) }

    /// `mpa_admission_state_watch_restarts_total{kind}`.
    public func watchRestarted(kind: String) { metrics.recordWatchRestart(kind: kind) }
}

/// A state that is complete as soon as it exists: a snapshot already loaded, or none at all.
public struct StaticStateSource: ClusterStateSource {
    public let summary: String
    /// Objects per kind, for the state metrics.
    public let counts: [String: Int]

    public init(summary: String, counts: [String: Int] = [:]) {
        self.summary = summary
        self.counts = counts
    }

    public func start(reporter: ClusterStateReporter) async throws {
        for (kind, count) in counts { reporter.objects(kind: kind, count: count) }
        reporter.synced(true)
    }

    public func stop() async {}
}
