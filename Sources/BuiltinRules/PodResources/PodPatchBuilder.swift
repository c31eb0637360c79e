import JSON
import JSONPatch

/// The JSON Patch for a pod (spec §2.3), against the pod exactly as it was sent:
/// 1. `add /metadata/annotations {}` when the pod has no annotations map;
/// 2. per container in order (containers, then native sidecars): the missing `resources`,
///    `resources/requests`, `resources/limits` objects, then one `add` per value, requests
///    before limits, cpu, memory, then others by name;
/// 3. `add /metadata/annotations/mpaUpdates` (only when a container changed);
/// 4. `add /metadata/annotations/mpaObservedContainers`.
///
/// Each path is built whole from its tokens (one array per operation, no intermediate
/// pointers), and the annotation texts are written into one string each.
enum PodPatchBuilder {
    static let updatesAnnotation = "mpaUpdates"
    static let observedContainersAnnotation = "mpaObservedContainers"

    static func operations(plans: [ContainerPlan], mpaName: String, observedContainers: [PodContainer],
                           podHasAnnotations: Bool) -> [PatchOperation] {
        var ops: [PatchOperation] = []
        ops.reserveCapacity(2 + plans.count * 6)
        if !podHasAnnotations {
            ops.append(.add(path: JSONPointer(tokens: ["metadata", "annotations"]), value: .object(JSONObject())))
        }
        // "Pod resources updated by <mpa>: container 0: cpu request, …; container 1: …"
        var updates = ""
        for plan in plans where !(plan.requests.isEmpty && plan.limits.isEmpty) {
            let c = plan.container
            let list = c.kind == .container ? "containers" : "initContainers"
            let index = String(c.index)
            func path(_ map: String? = nil, _ resource: String? = nil) -> JSONPointer {
                resourcesPath(list, index, map, resource)
            }
            if !c.hasResources { ops.append(.add(path: path(), value: .object(JSONObject()))) }
            if !c.hasRequests, !plan.requests.isEmpty { ops.append(.add(path: path("requests"), value: .object(JSONObject()))) }
            if !c.hasLimits, !plan.limits.isEmpty { ops.append(.add(path: path("limits"), value: .object(JSONObject()))) }
            if updates.isEmpty {
                updates.reserveCapacity(64 + plans.count * 64)
                updates += "Pod resources updated by "
                updates += mpaName
                updates += ": "
            } else {
                updates += "; "
            }
            updates += c.kind == .container ? "container " : "initContainer "
            updates += index
            updates += ": "
            var first = true
            for (resource, value) in plan.requests {
                ops.append(.add(path: path("requests", resource), value: .string(value.description)))
                append(resource, " request", to: &updates, first: &first)
            }
            for (resource, value) in plan.limits {
                ops.append(.add(path: path("limits", resource), value: .string(value.description)))
                append(resource, " limit", to: &updates, first: &first)
            }
            for note in plan.notes { append(note, "", to: &updates, first: &first) }
        }
        if !updates.isEmpty {
            ops.append(.add(path: JSONPointer(tokens: ["metadata", "annotations", updatesAnnotation]), value: .string(updates)))
        }
        // The names joined by ", ", in one allocation (none when the text fits in a String inline).
        var observed = ""
        let length = observedContainers.reduce(0) { $0 + $1.name.utf8.count + 2 }
        if length > 17 { observed.reserveCapacity(length) }
        for (i, c) in observedContainers.enumerated() {
            if i > 0 { observed += ", " }
            observed += c.name
        }
        ops.append(.add(path: JSONPointer(tokens: ["metadata", "annotations", observedContainersAnnotation]),
                        value: .string(observed)))
        return ops
    }

    /// `/spec/<list>/<index>/resources[/<map>[/<resource>]]` in one token array.
    private static func resourcesPath(_ list: String, _ index: String, _ map: String?, _ resource: String?) -> JSONPointer {
        var tokens: [String] = []
        tokens.reserveCapacity(6)
        tokens.append("spec"); tokens.append(list); tokens.append(index); tokens.append("resources")
        if let map { tokens.append(map) }
        if let resource { tokens.append(resource) }
        return JSONPointer(tokens: tokens)
    }

    /// One `, `-separated part of a container's entry in the updates annotation.
    private static func append(_ text: String, _ suffix: String, to out: inout String, first: inout Bool) {
        if !first { out += ", " }
        first = false
        out += text
        out += suffix
    }
}
