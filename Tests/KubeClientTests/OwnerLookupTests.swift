import Foundation
import JSON
import KubeClient
import MPA
import Testing

@Suite(.serialized) struct OwnerLookupTests {
    static func state(_ server: FakeAPIServer, ttl: Duration) throws -> LiveClusterState {
        var o = fastOptions()
        o.ownerCacheTTL = ttl
        return LiveClusterState(client: try KubeHTTPClient(configuration: server.configuration(), logger: quietLogger),
                                options: o, logger: quietLogger)
    }

    @Test func ownerGetIsCachedForTTL() async throws {
        let server = try await FakeAPIServer()
        let path = "/apis/apps/v1/namespaces/default/replicasets/rs1"
        try await server.setStatic(path, ["kind": "ReplicaSet", "metadata": ["name": "rs1", "namespace": "default"]])
        let state = try Self.state(server, ttl: .milliseconds(600))
        let key = ObjectKey(apiVersion: "apps/v1", kind: "ReplicaSet", namespace: "default", name: "rs1")
        async let a = state.object(key)
        async let b = state.object(key)
        let (first, second) = try await (a, b)
        #expect(first?["metadata"]?["name"] == "rs1")
        #expect(second == first)
        #expect(try await state.object(key) == first)
        #expect(try await server.requests().filter { $0.path == path }.count == 1, "concurrent and repeated look-ups share one GET")
        try await Task.sleep(for: .milliseconds(700))
        _ = try await state.object(key)
        #expect(try await server.requests().filter { $0.path == path }.count == 2, "refetched after the TTL")

        // Absent objects are nil (404), also cached.
        let missing = ObjectKey(apiVersion: "apps/v1", kind: "Deployment", namespace: "default", name: "gone")
        #expect(try await state.object(missing) == nil)
        #expect(try await state.object(missing) == nil)
        #expect(try await server.requests().filter { $0.path.hasSuffix("/deployments/gone") }.count == 1)
    }

    @Test(arguments: [
        ("ReplicationController", "v1", "/api/v1/namespaces/ns/replicationcontrollers/x"),
        ("StatefulSet", "apps/v1", "/apis/apps/v1/namespaces/ns/statefulsets/x"),
        ("DaemonSet", "apps/v1", "/apis/apps/v1/namespaces/ns/daemonsets/x"),
        ("Job", "batch/v1", "/apis/batch/v1/namespaces/ns/jobs/x"),
        ("CronJob", "batch/v1", "/apis/batch/v1/namespaces/ns/cronjobs/x"),
        ("Deployment", "extensions/v1beta1", "/apis/apps/v1/namespaces/ns/deployments/x"),
    ])
    func wellKnownOwnerPaths(kind: String, apiVersion: String, path: String) async throws {
        let server = try await FakeAPIServer()
        try await server.setStatic(path, ["kind": .string(kind), "metadata": ["name": "x"]])
        let state = try Self.state(server, ttl: .seconds(30))
        let got = try await state.object(ObjectKey(apiVersion: apiVersion, kind: kind, namespace: "ns", name: "x"))
        #expect(got?["kind"]?.stringValue == kind)
        #expect(try await server.requests().map(\.path) == [path], "no discovery for well-known kinds")
    }

    @Test func scaleSelectorThroughDiscovery() async throws {
        let server = try await FakeAPIServer()
        try await server.setStatic("/apis/example.com/v1", [
            "kind": "APIResourceList", "groupVersion": "example.com/v1",
            "resources": [
                ["name": "widgets", "namespaced": true, "kind": "Widget"],
                ["name": "widgets/scale", "namespaced": true, "kind": "Scale"],
                ["name": "gadgets", "namespaced": true, "kind": "Gadget"],
            ]])
        try await server.setStatic("/apis/example.com/v1/namespaces/default/widgets/w1/scale",
                                   ["kind": "Scale", "status": ["replicas": 2, "selector": "app=w1,tier=web"]])
        try await server.setStatic("/apis/example.com/v1/namespaces/default/widgets/w1",
                                   ["kind": "Widget", "metadata": ["name": "w1"]])
        try await server.setStatic("/apis/apps/v1/namespaces/default/deployments/d1/scale",
                                   ["kind": "Scale", "status": ["selector": "app=d1"]])
        let state = try Self.state(server, ttl: .seconds(30))
        let widget = ObjectKey(apiVersion: "example.com/v1", kind: "Widget", namespace: "default", name: "w1")
        #expect(try await state.scaleSelector(widget) == "app=w1,tier=web")
        #expect(try await state.object(widget)?["kind"] == "Widget")
        // No scale subresource: nil without asking.
        #expect(try await state.scaleSelector(ObjectKey(apiVersion: "example.com/v1", kind: "Gadget",
                                                        namespace: "default", name: "g")) == nil)
        // Unknown kind / group not served.
        #expect(try await state.scaleSelector(ObjectKey(apiVersion: "example.com/v1", kind: "Nope",
                                                        namespace: "default", name: "n")) == nil)
        #expect(try await state.object(ObjectKey(apiVersion: "missing.io/v1", kind: "Thing",
                                                 namespace: "default", name: "t")) == nil)
        #expect(try await state.scaleSelector(ObjectKey(apiVersion: "apps/v1", kind: "Deployment",
                                                        namespace: "default", name: "d1")) == "app=d1")
        #expect(try await state.scaleSelector(ObjectKey(apiVersion: "batch/v1", kind: "Job",
                                                        namespace: "default", name: "j")) == nil)
        let paths = try await server.requests().map(\.path)
        #expect(paths.filter { $0 == "/apis/example.com/v1" }.count == 1, "discovery is cached")
        #expect(!paths.contains { $0.contains("gadgets") || $0.contains("/jobs/") })
        #expect(state.discovery.fetches == 2)
    }

    @Test func ttlCacheBounded() async throws {
        let cache = TTLCache<Int, Int>(ttl: .seconds(60), capacity: 3)
        for i in 0..<10 { _ = try await cache.value(for: i) { i * 2 } }
        #expect(cache.count == 3)
        #expect(try await cache.value(for: 9) { -1 } == 18)
        #expect(cache.loads == 10)
        // A failed load is not cached.
        struct Boom: Error {}
        await #expect(throws: Boom.self) { try await cache.value(for: 42) { throw Boom() } }
        #expect(try await cache.value(for: 42) { 7 } == 7)
    }
}
