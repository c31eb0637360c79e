import JSON
import Logging
import MPA
import Synchronization

/// Settings of the live cluster state.
public struct LiveClusterStateOptions: Sendable {
    public var scope: NamespaceScope
    /// Owner (controller) objects and scale selectors are cached this long.
    public var ownerCacheTTL: Duration = .seconds(30)
    public var ownerCacheCapacity = 4096
    public var discoveryTTL: Duration = .seconds(600)
    public var timing = InformerTiming()

    public init(scope: NamespaceScope = .all) { self.scope = scope }
}

/// `ClusterState` backed by the API server: MPAs, LimitRanges and Namespaces from informers
/// (LIST + WATCH), owners and scale selectors from GETs through a bounded TTL cache.
/// `isSynced` stays false until all three initial lists are stored.
public final class LiveClusterState: ClusterState {
    public let client: KubeHTTPClient
    public let options: LiveClusterStateOptions
    public let discovery: Discovery
    /// Set by `start(events:)`; informers report through it.
    private let relay = EventsRelay()
    let logger: Logger

    let mpas: IndexedStore<MultidimPodAutoscaler>
    let limitRanges: IndexedStore<LimitRange>
    let namespaces: IndexedStore<[String: String]>
    public let informers: [Informer]
    /// Merged LimitRanges per namespace, valid for one generation of `limitRanges` (any
    /// LimitRange change anywhere empties it, so it never holds more than the namespaces
    /// asked about since the last change).
    private let mergedLimits = Mutex<(generation: UInt64, byNamespace: [String: NamespaceLimits])>((0, [:]))
    let owners: TTLCache<ObjectKey, JSONValue?>
    let scales: TTLCache<ObjectKey, String?>
    private let tasks = Mutex<[Task<Void, Never>]>([])

    public init(client: KubeHTTPClient, options: LiveClusterStateOptions = LiveClusterStateOptions(),
                logger: Logger = Logger(label: "kubeclient.state")) {
        self.client = client
        self.options = options
        self.logger = logger
        let relay = self.relay
        let events = ClusterStateEvents(synced: { s in relay.current.synced(s) },
                                        objects: { k, n in relay.current.objects(k, n) },
                                        watchRestart: { k in relay.current.watchRestart(k) })
        self.discovery = Discovery(client: client, ttl: options.discoveryTTL)
        owners = TTLCache(ttl: options.ownerCacheTTL, capacity: options.ownerCacheCapacity)
        scales = TTLCache(ttl: options.ownerCacheTTL, capacity: options.ownerCacheCapacity)

        let report: @Sendable (String, String, any Error) -> Void = { kind, key, error in
            logger.warning("object left out of the cache: it does not decode", metadata: [
                "kind": "\(kind)", "object": "\(key)", "error": "\(error)"])
        }
        mpas = IndexedStore(decode: { json in try MultidimPodAutoscaler(json: json) },
                            indexKeys: { mpa in
                                var keys = [Self.namespaceIndex(mpa.namespace)]
                                if let t = mpa.scaleTargetRef {
                                    keys.append(Self.targetIndex(mpa.namespace, t.group, t.kind, t.name))
                                }
                                return keys
                            },
                            onDecodeError: { report("MultidimPodAutoscaler", $0, $1) })
        limitRanges = IndexedStore(decode: { json in try LimitRange(json: json) },
                                   indexKeys: { [Self.namespaceIndex($0.namespace)] },
                                   onDecodeError: { report("LimitRange", $0, $1) })
        namespaces = IndexedStore(decode: { json in try ObjectMeta(object: json).labels },
                                  indexKeys: { _ in [] },
                                  onDecodeError: { report("Namespace", $0, $1) })

        var informers: [Informer] = []
        let synced = Mutex(0)
        let total = 3
        let onSynced: @Sendable () -> Void = {
            if synced.withLock({ n -> Int in n += 1; return n }) == total {
                logger.info("cluster state synced")
                events.synced(true)
            }
        }
        for (resource, sink) in [(ResourceType.multidimPodAutoscalers, mpas as any InformerSink),
                                 (ResourceType.limitRanges, limitRanges),
                                 (ResourceType.namespaces, namespaces)] {
            informers.append(Informer(resource: resource, scope: options.scope, client: client, sink: sink,
                                      events: events, timing: options.timing, logger: logger, onSynced: onSynced))
        }
        self.informers = informers
    }

    static func namespaceIndex(_ ns: String) -> String { "ns\u{0}" + ns }
    static func targetIndex(_ ns: String, _ group: String, _ kind: String, _ name: String) -> String {
        "t\u{0}\(ns)\u{0}\(group)\u{0}\(kind)\u{0}\(name)"
    }

    /// Starts the informers (idempotent); `events` receives sync state, object counts and
    /// watch restarts from now on.
    public func start(events: ClusterStateEvents = .none) {
        relay.set(events)
        tasks.withLock { tasks in
            guard tasks.isEmpty else { return }
            events.synced(isSynced)
            for informer in informers {
                tasks.append(Task { await informer.run() })
            }
        }
    }

    /// Stops the informers and waits for them.
    public func stop() async {
        let running = tasks.withLock { t -> [Task<Void, Never>] in
            defer { t.removeAll() }
            return t
        }
        for t in running { t.cancel() }
        for t in running { await t.value }
        client.closeIdleConnections()
    }

    /// Waits until synced or `timeout` passes; returns `isSynced`.
    public func waitUntilSynced(timeout: Duration) async -> Bool {
        let end = ContinuousClock.now.advanced(by: timeout)
        while !isSynced && ContinuousClock.now < end {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return isSynced
    }

    // MARK: ClusterState

    public var isSynced: Bool { informers.allSatisfy(\.isSynced) }

    public func multidimPodAutoscalers(namespace: String, targetGroup: String, targetKind: String,
                                       targetName: String) async throws -> [MultidimPodAutoscaler] {
        mpas.values(indexedBy: Self.targetIndex(namespace, targetGroup, targetKind, targetName))
    }

    public func multidimPodAutoscalers(namespace: String) async throws -> [MultidimPodAutoscaler] {
        mpas.values(indexedBy: Self.namespaceIndex(namespace))
    }

    public func limitRanges(namespace: String) async throws -> [LimitRange] {
        limitRanges.values(indexedBy: Self.namespaceIndex(namespace))
    }

    /// From the cache while no LimitRange has changed since it was merged; a watch event
    /// moves `limitRanges` to a new generation and the next request merges again.
    public func namespaceLimits(namespace: String) async throws -> NamespaceLimits {
        let current = limitRanges.generation
        if let hit = mergedLimits.withLock({ c in c.generation == current ? c.byNamespace[namespace] : nil }) {
            return hit
        }
        let (ranges, generation) = limitRanges.valuesAndGeneration(indexedBy: Self.namespaceIndex(namespace))
        let merged = NamespaceLimits(ranges)
        mergedLimits.withLock { c in
            if c.generation != generation {
                // Only move forward: a slower request must not put back an older generation.
                guard generation > c.generation else { return }
                c = (generation, [:])
            }
            c.byNamespace[namespace] = merged
        }
        return merged
    }

    public func namespaceLabels(_ namespace: String) async throws -> [String: String]? {
        namespaces.get("/" + namespace)
    }

    /// GET of the object (owner look-up), cached; nil when it does not exist or its kind is not served.
    public func object(_ key: ObjectKey) async throws -> JSONValue? {
        try await owners.value(for: key) { [client, discovery] in
            guard let entry = try await discovery.resource(kind: key.kind, apiVersion: key.apiVersion) else { return nil }
            let path = entry.resource.objectPath(namespace: key.namespace, name: key.name)
            let response = try await client.send(KubeRequest(path: path))
            if response.status == 404 { return nil }
            return try KubeHTTPClient.decode(response)
        }
    }

    /// `status.selector` of the object's `scale` subresource, cached; nil when there is none.
    public func scaleSelector(_ key: ObjectKey) async throws -> String? {
        try await scales.value(for: key) { [client, discovery] in
            guard let entry = try await discovery.resource(kind: key.kind, apiVersion: key.apiVersion),
                  entry.hasScale else { return nil }
            let path = entry.resource.objectPath(namespace: key.namespace, name: key.name) + "/scale"
            let response = try await client.send(KubeRequest(path: path))
            if response.status == 404 { return nil }
            let scale = try KubeHTTPClient.decode(response)
            guard let selector = scale["status"]?["selector"]?.stringValue, !selector.isEmpty else { return nil }
            return selector
        }
    }

    /// Objects held per kind (for diagnostics).
    public var objectCounts: [String: Int] {
        ["MultidimPodAutoscaler": mpas.count, "LimitRange": limitRanges.count, "Namespace": namespaces.count]
    }
}

/// Forwards informer events to whatever `start(events:)` installed.
final class EventsRelay: Sendable {
    private let events = Mutex(ClusterStateEvents.none)
    var current: ClusterStateEvents { events.withLock { $0 } }
    func set(_ e: ClusterStateEvents) { events.withLock { $0 = e } }
}
