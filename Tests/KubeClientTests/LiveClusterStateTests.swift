import Foundation
import JSON
import KubeClient
import MPA
import Testing

@Suite(.serialized) struct LiveClusterStateTests {
    /// A started state over a fake server holding two MPAs, a LimitRange and two namespaces.
    static func started(_ server: FakeAPIServer, options: LiveClusterStateOptions = fastOptions(),
                        recorder: EventRecorder = EventRecorder()) async throws -> LiveClusterState {
        try await server.event("ADDED", "mpa", mpa("m1", target: "hamster"))
        try await server.event("ADDED", "mpa", mpa("m2", namespace: "other", target: "hamster"))
        try await server.event("ADDED", "limitrange", limitRange("lr"))
        try await server.event("ADDED", "namespace", namespaceObject("default", labels: ["team": "a"]))
        try await server.event("ADDED", "namespace", namespaceObject("other"))
        let state = LiveClusterState(client: try KubeHTTPClient(configuration: server.configuration(), logger: quietLogger),
                                     options: options, logger: quietLogger)
        #expect(!state.isSynced)
        state.start(events: recorder.events)
        #expect(await state.waitUntilSynced(timeout: .seconds(20)))
        return state
    }

    /// Waits until the server has a watch open on `path` (then a moment for it to start streaming).
    static func watchOpen(_ server: FakeAPIServer, _ path: String) async throws {
        #expect(await eventually {
            try await server.requests().contains { $0.path == path && $0.query["watch"] != nil }
        })
        try await Task.sleep(for: .milliseconds(300))
    }

    static func names(_ mpas: [MultidimPodAutoscaler]) -> [String] { mpas.map(\.name).sorted() }

    @Test func listThenWatchConverges() async throws {
        let server = try await FakeAPIServer()
        let recorder = EventRecorder()
        let state = try await Self.started(server, recorder: recorder)
        #expect(Self.names(try await state.multidimPodAutoscalers(namespace: "default", targetGroup: "apps",
                                                                    targetKind: "Deployment", targetName: "hamster")) == ["m1"])
        #expect(try await state.limitRanges(namespace: "default").map(\.name) == ["lr"])
        #expect(try await state.namespaceLabels("default") == ["team": "a"])
        #expect(try await state.namespaceLabels("missing") == nil)
        #expect(recorder.synced.last == true)

        // ADDED by a watch event.
        try await server.event("ADDED", "mpa", mpa("m3", target: "hamster", cpu: "250m"))
        #expect(await eventually {
            Self.names(try await state.multidimPodAutoscalers(namespace: "default", targetGroup: "apps",
                                                              targetKind: "Deployment", targetName: "hamster")) == ["m1", "m3"]
        })
        // MODIFIED retargets m1: it leaves the old target's index.
        try await server.event("MODIFIED", "mpa", mpa("m1", target: "other-app"))
        #expect(await eventually {
            Self.names(try await state.multidimPodAutoscalers(namespace: "default", targetGroup: "apps",
                                                              targetKind: "Deployment", targetName: "other-app")) == ["m1"]
        })
        #expect(Self.names(try await state.multidimPodAutoscalers(namespace: "default", targetGroup: "apps",
                                                                    targetKind: "Deployment", targetName: "hamster")) == ["m3"])
        // DELETED.
        try await server.event("DELETED", "mpa", mpa("m3"))
        try await server.event("MODIFIED", "namespace", namespaceObject("default", labels: ["team": "b"]))
        #expect(await eventually {
            let names = try await state.multidimPodAutoscalers(namespace: "default").map(\.name)
            let labels = try await state.namespaceLabels("default")
            return names == ["m1"] && labels == ["team": "b"]
        })
        #expect(recorder.objects["MultidimPodAutoscaler"] == 2)
        #expect(recorder.objects["Namespace"] == 2)
        let lists = try await server.requests().filter { $0.query["watch"] == nil }
        #expect(lists.count == 3, "one LIST per resource")
        await state.stop()
    }

    @Test func pagedList() async throws {
        let server = try await FakeAPIServer()
        for i in 0..<5 { try await server.event("ADDED", "limitrange", limitRange("lr\(i)"), silent: true) }
        var options = fastOptions()
        options.timing.pageSize = 2
        let state = try await Self.started(server, options: options)
        #expect(try await state.limitRanges(namespace: "default").count == 6)
        let pages = try await server.requests().filter { $0.path == "/api/v1/limitranges" && $0.query["watch"] == nil }
        #expect(pages.count == 3)
        #expect(pages.map { $0.query["continue"]?.stringValue ?? "" } == ["", "2", "4"])
        await state.stop()
    }

    @Test func resumesAfterDroppedStream() async throws {
        let server = try await FakeAPIServer()
        let recorder = EventRecorder()
        let state = try await Self.started(server, recorder: recorder)
        let informer = try #require(state.informers.first { $0.resource == .multidimPodAutoscalers })
        let before = informer.resourceVersion
        try await Self.watchOpen(server, "/apis/autoscaling.k8s.io/v1alpha1/multidimpodautoscalers")
        try await server.post("/_fake/drop", [:])
        let rv = try await server.event("ADDED", "mpa", mpa("late", target: "hamster"))
        #expect(await eventually { informer.resourceVersion == rv })
        #expect(try await state.multidimPodAutoscalers(namespace: "default").map(\.name).contains("late"))
        #expect(informer.counts.lists == 1, "a drop resumes the watch, it does not re-list")
        let watches = try await server.requests().filter {
            $0.path == "/apis/autoscaling.k8s.io/v1alpha1/multidimpodautoscalers" && $0.query["watch"] != nil
        }
        #expect(watches.count >= 2)
        #expect(watches.last?.query["resourceVersion"]?.stringValue == before)
        #expect(watches.allSatisfy { $0.query["allowWatchBookmarks"] == "true" })
        #expect((recorder.restarts["MultidimPodAutoscaler"] ?? 0) >= 1)
        await state.stop()
    }

    @Test(arguments: ["event", "http"])
    func relistsOnGone(mode: String) async throws {
        let server = try await FakeAPIServer()
        let state = try await Self.started(server)
        let informer = try #require(state.informers.first { $0.resource == .multidimPodAutoscalers })
        // History is compacted while an object changes unseen; open watches drop.
        try await server.event("ADDED", "mpa", mpa("unseen", target: "hamster"), silent: true)
        try await server.event("DELETED", "mpa", mpa("m1"), silent: true)
        try await server.post("/_fake/compact", ["mode": .string(mode)])
        #expect(await eventually { informer.counts.lists == 2 })
        #expect(await eventually {
            try await state.multidimPodAutoscalers(namespace: "default").map(\.name) == ["unseen"]
        })
        #expect(state.isSynced)
        await state.stop()
    }

    /// The merged LimitRanges are cached per namespace and follow every watch event.
    @Test func namespaceLimitsFollowWatchEvents() async throws {
        let server = try await FakeAPIServer()
        let state = try await Self.started(server)
        func maxCPU(_ ns: String = "default") async throws -> String? {
            try await state.namespaceLimits(namespace: ns).container?.max["cpu"]?.description
        }
        #expect(try await maxCPU() == "2")
        #expect(try await maxCPU() == "2", "answered again from the cache")
        #expect(try await state.namespaceLimits(namespace: "other") == NamespaceLimits())
        let lower: JSONValue = ["apiVersion": "v1", "kind": "LimitRange",
                                "metadata": ["name": "a-lower", "namespace": "default"],
                                "spec": ["limits": [["type": "Container", "max": ["cpu": "500m"]]]]]
        try await server.event("ADDED", "limitrange", lower)
        #expect(await eventually { try await maxCPU() == "500m" })
        try await server.event("ADDED", "limitrange", limitRange("elsewhere", namespace: "other"))
        #expect(await eventually { try await maxCPU("other") == "2" })
        #expect(try await maxCPU() == "500m", "a change in another namespace keeps this one's answer")
        try await server.event("DELETED", "limitrange", lower)
        #expect(await eventually { try await maxCPU() == "2" })
        await state.stop()
    }

    @Test func bookmarkAdvancesResourceVersion() async throws {
        let server = try await FakeAPIServer()
        let state = try await Self.started(server)
        let informer = try #require(state.informers.first { $0.resource == .limitRanges })
        try await Self.watchOpen(server, "/api/v1/limitranges")
        let rv = try await server.post("/_fake/bookmark", [:])["resourceVersion"]?.stringValue
        #expect(await eventually { informer.resourceVersion == rv })
        try await server.post("/_fake/drop", [:])
        #expect(await eventually {
            (try await server.requests()).last { $0.path == "/api/v1/limitranges" && $0.query["watch"] != nil }?
                .query["resourceVersion"]?.stringValue == rv
        })
        #expect(try await state.limitRanges(namespace: "default").map(\.name) == ["lr"], "a bookmark changes no object")
        await state.stop()
    }

    @Test func errorEventRestartsWatch() async throws {
        let server = try await FakeAPIServer()
        let recorder = EventRecorder()
        let state = try await Self.started(server, recorder: recorder)
        try await Self.watchOpen(server, "/api/v1/limitranges")
        try await server.post("/_fake/error", [:])
        #expect(await eventually { (recorder.restarts["LimitRange"] ?? 0) >= 1 })
        try await server.event("ADDED", "limitrange", limitRange("after-error"))
        #expect(await eventually { try await state.limitRanges(namespace: "default").count == 2 })
        let informer = try #require(state.informers.first { $0.resource == .limitRanges })
        #expect(informer.counts.lists == 1, "a non-410 ERROR resumes, it does not re-list")
        await state.stop()
    }

    @Test func notSyncedUntilListsSucceed() async throws {
        let server = try await FakeAPIServer()
        try await server.fault(prefix: "/api/v1/limitranges", status: 500, count: 3)
        let recorder = EventRecorder()
        let state = LiveClusterState(client: try KubeHTTPClient(configuration: server.configuration(), logger: quietLogger),
                                     options: fastOptions(), logger: quietLogger)
        state.start(events: recorder.events)
        try await Task.sleep(for: .milliseconds(30))
        #expect(!state.isSynced)
        #expect(recorder.synced.first == false)
        #expect(await state.waitUntilSynced(timeout: .seconds(20)))
        #expect(recorder.synced.last == true)
        #expect((recorder.restarts["LimitRange"] ?? 0) >= 3)
        await state.stop()
    }

    @Test func onlyOneNamespace() async throws {
        let server = try await FakeAPIServer()
        let state = try await Self.started(server, options: fastOptions(scope: NamespaceScope(only: "default")))
        try await server.event("ADDED", "mpa", mpa("o2", namespace: "other"))
        try await server.event("ADDED", "mpa", mpa("d2"))
        #expect(await eventually { try await state.multidimPodAutoscalers(namespace: "default").count == 2 })
        #expect(try await state.multidimPodAutoscalers(namespace: "other").isEmpty)
        #expect(try await state.namespaceLabels("other") == nil)
        let paths = Set(try await server.requests().map(\.path))
        #expect(paths.contains("/apis/autoscaling.k8s.io/v1alpha1/namespaces/default/multidimpodautoscalers"))
        #expect(!paths.contains("/apis/autoscaling.k8s.io/v1alpha1/multidimpodautoscalers"))
        await state.stop()
    }

    @Test func ignoredNamespaces() async throws {
        let server = try await FakeAPIServer()
        let state = try await Self.started(server, options: fastOptions(scope: NamespaceScope(ignored: ["other"])))
        try await server.event("ADDED", "mpa", mpa("o2", namespace: "other"))
        try await server.event("ADDED", "mpa", mpa("d2"))
        #expect(await eventually { try await state.multidimPodAutoscalers(namespace: "default").count == 2 })
        #expect(try await state.multidimPodAutoscalers(namespace: "other").isEmpty)
        #expect(try await state.namespaceLabels("other") == nil)
        #expect(try await state.namespaceLabels("default") != nil)
        await state.stop()
    }

    @Test func stopEndsWatches() async throws {
        let server = try await FakeAPIServer()
        let state = try await Self.started(server)
        let start = ContinuousClock.now
        await state.stop()
        #expect(start.duration(to: .now) < .seconds(5), "cancellation interrupts blocked watch reads")
    }

    @Test func watchTimeoutRewatchesQuietly() async throws {
        let server = try await FakeAPIServer()
        var options = fastOptions()
        options.timing.watchTimeoutSeconds = 1...1
        let recorder = EventRecorder()
        let state = try await Self.started(server, options: options, recorder: recorder)
        let informer = try #require(state.informers.first { $0.resource == .namespaces })
        #expect(await eventually { informer.counts.watches >= 3 })
        #expect(informer.counts.lists == 1)
        #expect(recorder.restarts.isEmpty, "a watch the server ends on time is no restart")
        await state.stop()
    }

    @Test func syncsThousandsOfObjects() async throws {
        let server = try await FakeAPIServer()
        let count = 3000
        let objects = (0..<count).map { mpa("bulk-\($0)", namespace: "ns\($0 % 10)", target: "app-\($0)") }
        try await server.post("/_fake/object", ["resource": "mpa", "type": "ADDED", "silent": true,
                                                "objects": .array(objects)])
        let client = try KubeHTTPClient(configuration: server.configuration(), logger: quietLogger)
        let state = LiveClusterState(client: client, options: fastOptions(), logger: quietLogger)
        let start = ContinuousClock.now
        state.start()
        #expect(await state.waitUntilSynced(timeout: .seconds(60)))
        let synced = start.duration(to: .now)
        #expect(state.objectCounts["MultidimPodAutoscaler"] == count)
        let lookups = ContinuousClock.now
        for i in 0..<count {
            let found = try await state.multidimPodAutoscalers(namespace: "ns\(i % 10)", targetGroup: "apps",
                                                               targetKind: "Deployment", targetName: "app-\(i)")
            #expect(found.count == 1)
        }
        let perLookup = lookups.duration(to: .now) / count
        print("[measure] LIST of \(count) MPAs (pages of 500) synced in \(synced); indexed look-up \(perLookup) each")
        await state.stop()
    }
}
