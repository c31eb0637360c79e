import AdmissionRules
import BuiltinRules
import JSON
import MPA

/// The rules and cluster state the harness runs: the product's MPA rules (pod resources,
/// MPA defaults) over a snapshot, as `serve --state` builds them.
enum BenchRules {
    static func engine(state: SnapshotClusterState) throws -> AdmissionEngine {
        let rules = try RuleSet([MPAPodResources(state: state), try MPADefaultsRule(parameters: .object(JSONObject()))])
        return AdmissionEngine(rules: rules, namespaceLabels: ClusterStateNamespaceLabels(state))
    }
}

/// Snapshot objects for the harness, built in memory from the bench snapshot's JSON files.
enum BenchState {
    /// Every object in `directory`'s `*.json` files (lists flattened).
    static func objects(directory: String) -> [JSONValue] {
        var out: [JSONValue] = []
        for file in BenchFiles.list(directory) where file.hasSuffix(".json") {
            guard let bytes = BenchMain.readFile(directory + "/" + file),
                  let value = try? JSONParser.parse(bytes) else { continue }
            if let items = value["items"]?.arrayValue { out.append(contentsOf: items) } else { out.append(value) }
        }
        return out
    }

    /// The objects with each MPA recommendation for `container` repeated for
    /// `<container>-0` … `<container>-(count-1)` (the generated big pod's names).
    static func withRecommendations(_ objects: [JSONValue], container: String, count: Int) -> [JSONValue] {
        objects.map { object in
            guard object["kind"]?.stringValue == "MultidimPodAutoscaler",
                  let recs = object["status"]?["recommendation"]?["containerRecommendations"]?.arrayValue,
                  let rec = recs.first(where: { $0["name"] == nil && $0["containerName"]?.stringValue == container }),
                  case .object(var root) = object, case .object(var status)? = root["status"],
                  case .object(var recommendation)? = status["recommendation"], case .object(let template) = rec
            else { return object }
            var all = recs
            for i in 0..<count {
                var r = template
                r["containerName"] = .string("\(container)-\(i)")
                all.append(.object(r))
            }
            recommendation["containerRecommendations"] = .array(all)
            status["recommendation"] = .object(recommendation)
            root["status"] = .object(status)
            return .object(root)
        }
    }

    /// `mpas` MPAs, each with its Deployment and ReplicaSet, spread evenly over `namespaces`
    /// namespaces; every `namespaces`-th one in `podNamespace` (so it holds mpas/namespaces).
    /// Mirrors scripts/lib/scale-snapshot.py.
    static func scaleObjects(mpas: Int, namespaces: Int, podNamespace: String) -> [JSONValue] {
        var out: [JSONValue] = []
        out.reserveCapacity(mpas * 3)
        for i in 0..<mpas {
            let ns = i % namespaces == 0 ? podNamespace : "team-\(i % namespaces)"
            let app = "app-\(i)"
            let depUID = "00000000-0000-4000-8000-\(i)"
            let labels: JSONValue = ["app": .string(app)]
            let rsLabels: JSONValue = ["app": .string(app), "pod-template-hash": "5c4d3b2a1"]
            out.append(["apiVersion": "apps/v1", "kind": "Deployment",
                        "metadata": ["name": .string(app), "namespace": .string(ns), "uid": .string(depUID), "labels": labels],
                        "spec": ["replicas": 2, "selector": ["matchLabels": labels],
                                 "template": ["metadata": ["labels": labels],
                                              "spec": ["containers": [["name": .string(app), "image": "registry.k8s.io/pause:3.9"]]]]]])
            out.append(["apiVersion": "apps/v1", "kind": "ReplicaSet",
                        "metadata": ["name": .string("\(app)-5c4d3b2a1"), "namespace": .string(ns),
                                     "uid": .string("10000000-0000-4000-8000-\(i)"), "labels": rsLabels,
                                     "ownerReferences": [["apiVersion": "apps/v1", "kind": "Deployment", "name": .string(app),
                                                          "uid": .string(depUID), "controller": true, "blockOwnerDeletion": true]]],
                        "spec": ["replicas": 2, "selector": ["matchLabels": rsLabels]]])
            out.append(["apiVersion": "autoscaling.k8s.io/v1alpha1", "kind": "MultidimPodAutoscaler",
                        "metadata": ["name": .string("\(app)-mpa"), "namespace": .string(ns)],
                        "spec": ["scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": .string(app)],
                                 "resourcePolicy": ["containerPolicies": [["containerName": "*", "controlledResources": ["cpu", "memory"]]]],
                                 "constraints": ["global": ["minReplicas": 1, "maxReplicas": 6]]],
                        "status": ["recommendation": ["containerRecommendations": [
                            ["containerName": .string(app), "target": ["cpu": "250m", "memory": "128Mi"]]]]]])
        }
        return out
    }
}
