import JSON
import JSONPatch

/// The JSON Patch for a pod (spec §2.3), against the pod exactly as it was sent:
/// 1. `add /metadata/annotations {}` when the pod has no annotations map;
/// 2. per container in order (containers, then native sidecars): the missing `resources`,
///    `resources/requests`, `resources/limits` objects, then one `add` per value, requests
///    before limits, cpu, memory, then others by name;
/// 3. `add /metadata/annotations/mpaUpdates` (only when a container changed);
/// 4. `add /metadata/annotations/mpaObservedContainers`.
enum PodPatchBuilder {
    static let updatesAnnotation = "mpaUpdates"
    static let observedContainersAnnotation = "mpaObservedContainers"

    static func operations(plans: [ContainerPlan], mpaName: String, observedContainers: [String],
                           podHasAnnotations: Bool) -> [PatchOperation] {
        var ops: [PatchOperation] = []
        ops.reserveCapacity(2 + plans.count * 6)
        if !podHasAnnotations {
            ops.append(.add(path: JSONPointer(tokens: ["metadata", "annotations"]), value: .object(JSONObject())))
        }
        var updates: [String] = []
        for plan in plans where !(plan.requests.isEmpty && plan.limits.isEmpty) {
            let c = plan.container
            let resources = JSONPointer(tokens: c.resourcesPathTokens)
            let requests = resources.appending("requests")
            let limits = resources.appending("limits")
            if !c.hasResources { ops.append(.add(path: resources, value: .object(JSONObject()))) }
            if !c.hasRequests, !plan.requests.isEmpty { ops.append(.add(path: requests, value: .object(JSONObject()))) }
            if !c.hasLimits, !plan.limits.isEmpty { ops.append(.add(path: limits, value: .object(JSONObject()))) }
            var parts: [String] = []
            for (resource, value) in plan.requests {
                ops.append(.add(path: requests.appending(resource), value: .string(value.description)))
                parts.append("\(resource) request")
            }
            for (resource, value) in plan.limits {
                ops.append(.add(path: limits.appending(resource), value: .string(value.description)))
                parts.append("\(resource) limit")
            }
            updates.append("\(c.label): " + (parts + plan.notes).joined(separator: ", "))
        }
        let annotations = JSONPointer(tokens: ["metadata", "annotations"])
        if !updates.isEmpty {
            ops.append(.add(path: annotations.appending(updatesAnnotation),
                            value: .string("Pod resources updated by \(mpaName): " + updates.joined(separator: "; "))))
        }
        ops.append(.add(path: annotations.appending(observedContainersAnnotation),
                        value: .string(observedContainers.joined(separator: ", "))))
        return ops
    }
}
