import JSON
import JSONPatch

/// The container lists of a pod spec, in the order Kubernetes reports them.
enum PodContainers {
    /// `spec.<list>` names; ephemeral containers only appear through their subresource.
    static let lists = ["initContainers", "containers", "ephemeralContainers"]

    struct Container {
        /// e.g. `containers`
        var list: String
        var index: Int
        var value: JSONValue
        var name: String { value["name"]?.stringValue ?? "" }
        /// Kubernetes field path, e.g. `spec.containers[0]`.
        var field: String { "spec.\(list)[\(index)]" }
        /// JSON pointer tokens, e.g. `["spec", "containers", "0"]`.
        var tokens: [String] { ["spec", list, String(index)] }
    }

    /// Every container object in `pod` (entries that are not objects are skipped).
    static func all(in pod: JSONValue, lists: [String] = PodContainers.lists) -> [Container] {
        var out: [Container] = []
        for list in lists {
            guard case .array(let items)? = pod["spec"]?[list] else { continue }
            for (i, item) in items.enumerated() {
                if case .object = item { out.append(Container(list: list, index: i, value: item)) }
            }
        }
        return out
    }
}

/// A pod (or other object) this rule cannot make sense of; the engine applies the failure policy.
struct MalformedObject: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
