import JSON
import Quantity

/// Resource name → quantity, as the pipeline works on it.
typealias QuantityMap = [String: Quantity]

extension Dictionary where Key == String, Value == Quantity {
    /// The value when present and not zero (Kubernetes treats 0 as "not set" here).
    func nonZero(_ resource: String) -> Quantity? {
        guard let q = self[resource], !q.isZero else { return nil }
        return q
    }
}

/// What the rule reads of one pod container: where it is, its name and current resources.
struct PodContainer: Sendable, Equatable {
    enum Kind: Sendable, Equatable { case container, sidecar }

    var kind: Kind
    /// Index in `spec.containers` or `spec.initContainers`.
    var index: Int
    var name: String
    var requests: QuantityMap
    var limits: QuantityMap
    /// Whether `resources`, `resources.requests`, `resources.limits` are present (non-null).
    var hasResources: Bool
    var hasRequests: Bool
    var hasLimits: Bool

    /// `container 0` / `initContainer 2`, as the annotation names it.
    var label: String {
        switch kind {
        case .container: "container \(index)"
        case .sidecar: "initContainer \(index)"
        }
    }
}

/// A pod problem that stops the rule (the pod is still admitted).
struct PodResourcesError: Error, Sendable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

enum ResourceListReader {
    /// `{"cpu": "100m", "memory": 128}`; absent or null gives an empty list. `path()` names
    /// the map in an error (built only then).
    static func read(_ value: JSONValue?, at path: () -> String) throws(PodResourcesError) -> QuantityMap {
        guard let value, !value.isNull else { return [:] }
        guard case .object(let object) = value else {
            throw PodResourcesError("\(path()): is a \(value.typeName), not a map of quantities")
        }
        var list: QuantityMap = [:]
        list.reserveCapacity(object.count)
        for member in object {
            list[member.key] = try quantity(member.value, at: { "\(path()).\(member.key)" })
        }
        return list
    }

    /// A quantity from a JSON string (surrounding white space ignored) or number.
    static func quantity(_ value: JSONValue, at path: () -> String) throws(PodResourcesError) -> Quantity {
        let text: String
        switch value {
        case .string(let s): text = s
        case .number(let n): text = n.text
        default: throw PodResourcesError("\(path()): \(value.typeName) is not a quantity")
        }
        do throws(QuantityError) {
            return try Quantity(unmarshalling: text)
        } catch {
            throw PodResourcesError("\(path()): \(error.description)")
        }
    }
}

extension PodContainer {
    /// Reads `spec.containers` and the native sidecars (`spec.initContainers` with
    /// `restartPolicy: Always`) of a pod. Other init containers are not ours.
    /// `resourcesOf(name)` false: the container's quantities are not parsed (it is not planned
    /// and not summed), so a pod costs in proportion to the containers the rule works on.
    static func read(pod: JSONValue, resourcesOf: (String) -> Bool = { _ in true })
        throws(PodResourcesError) -> (containers: [PodContainer], sidecars: [PodContainer]) {
        let spec = pod["spec"]
        var containers: [PodContainer] = []
        if let list = spec?["containers"]?.arrayValue {
            containers.reserveCapacity(list.count)
            for (i, c) in list.enumerated() {
                containers.append(try read(c, kind: .container, index: i, resourcesOf: resourcesOf))
            }
        }
        var sidecars: [PodContainer] = []
        if let list = spec?["initContainers"]?.arrayValue {
            for (i, c) in list.enumerated() where c["restartPolicy"]?.stringValue == "Always" {
                sidecars.append(try read(c, kind: .sidecar, index: i, resourcesOf: resourcesOf))
            }
        }
        return (containers, sidecars)
    }

    private static func read(_ c: JSONValue, kind: Kind, index: Int,
                             resourcesOf: (String) -> Bool) throws(PodResourcesError) -> PodContainer {
        func field() -> String { kind == .container ? "spec.containers[\(index)]" : "spec.initContainers[\(index)]" }
        guard case .object(let object) = c else {
            throw PodResourcesError("\(field()): is a \(c.typeName), not a container")
        }
        var container = PodContainer(kind: kind, index: index, name: object["name"]?.stringValue ?? "",
                                     requests: [:], limits: [:], hasResources: false, hasRequests: false, hasLimits: false)
        guard let resources = object["resources"], !resources.isNull else { return container }
        guard case .object(let r) = resources else {
            throw PodResourcesError("\(field()).resources: is a \(resources.typeName), not an object")
        }
        container.hasResources = true
        let parse = resourcesOf(container.name)
        if let requests = r["requests"], !requests.isNull {
            container.hasRequests = true
            if parse { container.requests = try ResourceListReader.read(requests, at: { "\(field()).resources.requests" }) }
        }
        if let limits = r["limits"], !limits.isNull {
            container.hasLimits = true
            if parse { container.limits = try ResourceListReader.read(limits, at: { "\(field()).resources.limits" }) }
        }
        return container
    }
}
