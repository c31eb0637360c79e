import JSON

/// Bigger reviews from the bench review: the pod's first container copied `count` times
/// (names `<name>-<i>`), for the linear-in-pod-size check.
enum PodGenerator {
    static func review(_ review: JSONValue, containers count: Int) -> JSONValue? {
        guard case .object(var root) = review, case .object(var request)? = root["request"],
              case .object(var pod)? = request["object"], case .object(var spec)? = pod["spec"],
              let first = spec["containers"]?[0], case .object(let template) = first else { return nil }
        let name = template["name"]?.stringValue ?? "c"
        var containers: [JSONValue] = []
        for i in 0..<count {
            var c = template
            c["name"] = .string("\(name)-\(i)")
            containers.append(.object(c))
        }
        spec["containers"] = .array(containers)
        pod["spec"] = .object(spec)
        request["object"] = .object(pod)
        root["request"] = .object(request)
        return .object(root)
    }
}
