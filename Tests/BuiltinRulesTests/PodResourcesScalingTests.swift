@testable import BuiltinRules
import JSON
import JSONPatch
import MPA
import Synchronization
import Testing

/// Records which lookups the rule makes, to show its cost does not depend on other objects.
final class CountingClusterState: ClusterState {
    let inner: any ClusterState
    let calls = Mutex<[String]>([])

    init(_ inner: any ClusterState) { self.inner = inner }

    var isSynced: Bool { inner.isSynced }
    func record(_ s: String) { calls.withLock { $0.append(s) } }

    func multidimPodAutoscalers(namespace: String, targetGroup: String, targetKind: String,
                                targetName: String) async throws -> [MultidimPodAutoscaler] {
        record("mpasByTarget \(namespace)")
        return try await inner.multidimPodAutoscalers(namespace: namespace, targetGroup: targetGroup,
                                                      targetKind: targetKind, targetName: targetName)
    }
    func multidimPodAutoscalers(namespace: String) async throws -> [MultidimPodAutoscaler] {
        record("allMPAs \(namespace)")
        return try await inner.multidimPodAutoscalers(namespace: namespace)
    }
    func limitRanges(namespace: String) async throws -> [LimitRange] {
        record("limitRanges \(namespace)")
        return try await inner.limitRanges(namespace: namespace)
    }
    func namespaceLimits(namespace: String) async throws -> NamespaceLimits {
        record("namespaceLimits \(namespace)")
        return try await inner.namespaceLimits(namespace: namespace)
    }
    func object(_ key: ObjectKey) async throws -> JSONValue? {
        record("object \(key)")
        return try await inner.object(key)
    }
    func scaleSelector(_ key: ObjectKey) async throws -> String? {
        record("scaleSelector \(key)")
        return try await inner.scaleSelector(key)
    }
    func namespaceLabels(_ namespace: String) async throws -> [String: String]? {
        record("namespaceLabels \(namespace)")
        return try await inner.namespaceLabels(namespace)
    }
}

@Suite struct PodResourcesScalingTests {
    /// 100 namespaces × 20 MPAs, a pod with 50 containers: the rule makes the same few
    /// indexed lookups, never lists MPAs, and patches every container.
    @Test func fiftyContainersAmongTenThousandMPAs() async throws {
        var objects: [JSONValue] = []
        for n in 0..<100 {
            let ns = JSONValue.string("ns\(n)")
            for m in 0..<20 {
                objects.append(["apiVersion": "autoscaling.k8s.io/v1alpha1", "kind": "MultidimPodAutoscaler",
                                "metadata": ["name": .string("mpa\(m)"), "namespace": ns, "creationTimestamp": "2026-01-01T00:00:00Z"],
                                "spec": ["scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": .string("app\(m)")]],
                                "status": ["recommendation": ["containerRecommendations": .array((0..<(m == 7 ? 50 : 1)).map { i in
                                    ["containerName": .string("c\(i)"), "target": ["cpu": .string("\(100 + i)m"), "memory": "64Mi"]]
                                })]]])
            }
            objects.append(["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "app7", "namespace": ns],
                            "spec": ["selector": ["matchLabels": ["app": "app7"]]]])
            objects.append(["apiVersion": "apps/v1", "kind": "ReplicaSet",
                            "metadata": ["name": "app7-rs", "namespace": ns, "ownerReferences": [
                                ["apiVersion": "apps/v1", "kind": "Deployment", "name": "app7", "controller": true]]]])
        }
        let state = CountingClusterState(try SnapshotClusterState(objects: objects))
        let containers: [JSONValue] = (0..<50).map { i in
            ["name": .string("c\(i)"), "resources": ["requests": ["cpu": "50m", "memory": "32Mi"], "limits": ["cpu": "100m"]]]
        }
        let pod: JSONValue = ["apiVersion": "v1", "kind": "Pod",
                              "metadata": ["generateName": "app7-rs-", "labels": ["app": "app7"],
                                           "ownerReferences": [["apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "app7-rs", "controller": true]]],
                              "spec": ["containers": .array(containers)]]
        let rule = MPAPodResources(state: state)
        let result = try await rule.default(podCreateRequest(pod, namespace: "ns42"), object: pod)
        guard case .patch(let ops) = result.change else { Issue.record("no patch"); return }
        // annotations {}, 50 × (cpu request, memory request, cpu limit), mpaUpdates, mpaObservedContainers
        #expect(ops.count == 1 + 50 * 3 + 2)
        let patched = try JSONPatch.apply(ops, to: pod)
        #expect(patched["spec"]?["containers"]?[49]?["resources"] ==
                ["requests": ["cpu": "149m", "memory": "64Mi"], "limits": ["cpu": "298m"]])
        #expect(state.calls.withLock { $0 } == [
            "object ReplicaSet.apps ns42/app7-rs",
            "object Deployment.apps ns42/app7",
            "mpasByTarget ns42",
            "object Deployment.apps ns42/app7",
            "namespaceLimits ns42",
        ])
    }
}
