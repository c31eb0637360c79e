import Synchronization

/// Readiness flags set by the server as it starts and stops, plus liveness probes.
/// Ready = certificates loaded, listening, cluster state synced, and not shutting down.
/// `/healthz` only reflects liveness (a stuck loop), never readiness, so Kubernetes does not
/// restart a pod that is merely waiting for its state to sync or draining.
public final class HealthState: Sendable {
    private let certificatesLoadedFlag = Atomic<Bool>(false)
    private let listeningFlag = Atomic<Bool>(false)
    private let stateSyncedFlag = Atomic<Bool>(false)
    private let shuttingDownFlag = Atomic<Bool>(false)
    private let probes = Mutex<[any LivenessProbe]>([])

    public init() {}

    public var certificatesLoaded: Bool {
        get { certificatesLoadedFlag.load(ordering: .acquiring) }
        set { certificatesLoadedFlag.store(newValue, ordering: .releasing) }
    }
    public var listening: Bool {
        get { listeningFlag.load(ordering: .acquiring) }
        set { listeningFlag.store(newValue, ordering: .releasing) }
    }
    public var stateSynced: Bool {
        get { stateSyncedFlag.load(ordering: .acquiring) }
        set { stateSyncedFlag.store(newValue, ordering: .releasing) }
    }
    public var shuttingDown: Bool {
        get { shuttingDownFlag.load(ordering: .acquiring) }
        set { shuttingDownFlag.store(newValue, ordering: .releasing) }
    }

    public var isReady: Bool { certificatesLoaded && listening && stateSynced && !shuttingDown }

    /// What keeps the server from being ready, in a fixed order; empty when ready.
    public var readinessReasons: [String] {
        var reasons: [String] = []
        if !certificatesLoaded { reasons.append("certificates not loaded") }
        if !listening { reasons.append("not listening") }
        if !stateSynced { reasons.append("cluster state not synced") }
        if shuttingDown { reasons.append("shutting down") }
        return reasons
    }

    public func addLivenessProbe(_ probe: any LivenessProbe) {
        probes.withLock { $0.append(probe) }
    }

    /// Reasons from every failing probe; empty when alive.
    public var livenessFailures: [String] {
        let current = probes.withLock { $0 }
        return current.compactMap { $0.livenessFailure() }
    }

    public var isLive: Bool { livenessFailures.isEmpty }
}
