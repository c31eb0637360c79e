import AdmissionAPI
import AdmissionRules
import JSON
import JSONPatch

/// A defaulter shaped like the MPA pod rule's answer (per container: set cpu and memory
/// requests; then two annotations), used by the harness when the real rule is not in the
/// tree. It reads the pod the same way (containers, names, existing resources) but takes
/// its numbers from nowhere: it measures the engine and codec, not MPA arithmetic.
struct StandInResourcesDefaulter: Defaulter {
    let name = "bench-stand-in-resources"
    let match = RuleMatch(resources: [.init(group: "", resource: "pods")], operations: [.create])

    func `default`(_ request: AdmissionRequest, object: JSONValue) async throws -> Defaulting {
        guard let containers = object["spec"]?["containers"]?.arrayValue else { return .unchanged }
        var ops: [PatchOperation] = []
        var names: [String] = []
        let base = JSONPointer(tokens: ["spec", "containers"])
        for (i, c) in containers.enumerated() {
            names.append(c["name"]?.stringValue ?? "")
            let resources = base.appending(i).appending("resources")
            if c["resources"] == nil {
                ops.append(.add(path: resources, value: .object(JSONObject())))
            }
            if c["resources"]?["requests"] == nil {
                ops.append(.add(path: resources.appending("requests"), value: .object(JSONObject())))
            }
            ops.append(.add(path: resources.appending("requests").appending("cpu"), value: "587m"))
            ops.append(.add(path: resources.appending("requests").appending("memory"), value: "262144k"))
        }
        if object["metadata"]?["annotations"] == nil {
            ops.append(.add(path: JSONPointer(tokens: ["metadata", "annotations"]), value: .object(JSONObject())))
        }
        ops.append(.add(path: JSONPointer(tokens: ["metadata", "annotations", "mpaUpdates"]),
                        value: .string("Pod resources updated by hamster-mpa: cpu request, memory request")))
        ops.append(.add(path: JSONPointer(tokens: ["metadata", "annotations", "mpaObservedContainers"]),
                        value: .string(names.joined(separator: ", "))))
        return Defaulting(change: .patch(ops))
    }
}
