import Foundation
import JSON
import Testing
@testable import MPA

/// Issue 9's scale: 10,000 MPAs across 100 namespaces (with their Deployments) load in one
/// pass and every lookup is a hash lookup.
struct SnapshotScaleTests {
    static func listJSON(namespaces: Int, perNamespace: Int) -> String {
        var items: [String] = []
        items.reserveCapacity(namespaces * perNamespace * 2)
        for n in 0..<namespaces {
            for i in 0..<perNamespace {
                items.append("""
                {"apiVersion":"autoscaling.k8s.io/v1alpha1","kind":"MultidimPodAutoscaler","metadata":{"name":"mpa-\(i)","namespace":"ns-\(n)","creationTimestamp":"2026-11-01T10:00:00Z"},"spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"app-\(i)"},"resourcePolicy":{"containerPolicies":[{"containerName":"*","minAllowed":{"cpu":"100m","memory":"50Mi"},"maxAllowed":{"cpu":"1","memory":"500Mi"}}]},"constraints":{"global":{"minReplicas":1,"maxReplicas":6}}},"status":{"recommendation":{"containerRecommendations":[{"containerName":"app","target":{"cpu":"587m","memory":"262144k"}}]}}}
                """)
                items.append("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"app-\(i)","namespace":"ns-\(n)"},"spec":{"selector":{"matchLabels":{"app":"app-\(i)"}}}}
                """)
            }
        }
        return #"{"kind":"List","apiVersion":"v1","items":["# + items.joined(separator: ",\n") + "]}"
    }

    @Test func tenThousandMPAs() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mpa-scale-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.listJSON(namespaces: 100, perNamespace: 100).write(to: dir.appendingPathComponent("all.json"), atomically: true, encoding: .utf8)

        let clock = ContinuousClock()
        let start = clock.now
        let state = try SnapshotClusterState.load(directory: dir.path)
        let loadTime = clock.now - start
        #expect(state.objectCount == 20_000)

        let lookupStart = clock.now
        var found = 0
        for n in 0..<100 {
            for i in stride(from: 0, to: 100, by: 7) {
                found += state.mpas(namespace: "ns-\(n)", targetGroup: "apps", targetKind: "Deployment", targetName: "app-\(i)").count
            }
        }
        let lookupTime = clock.now - lookupStart
        #expect(found == 100 * 15)
        #expect(try await state.multidimPodAutoscalers(namespace: "ns-42").count == 100)
        #expect(try await state.scaleSelector(ObjectKey(apiVersion: "apps/v1", kind: "Deployment", namespace: "ns-7", name: "app-3")) == "app=app-3")
        print("snapshot scale: load of 10,000 MPAs + 10,000 Deployments \(loadTime), 1,500 target lookups \(lookupTime)")
        // Generous bounds for a debug build on a busy shared 2-core machine (a quadratic load or a
        // scanning lookup would blow far past them); release timings are in the report.
        #expect(loadTime < .seconds(120))
        #expect(lookupTime < .milliseconds(200))
    }
}
