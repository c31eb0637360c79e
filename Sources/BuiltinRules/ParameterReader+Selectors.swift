import AdmissionAPI
import AdmissionRules
import JSON

extension ParameterReader {
    /// A Kubernetes label selector parameter (nil when absent).
    func selector(_ k: String) throws(ConfigurationError) -> LabelSelector? {
        guard let v = value(k) else { return nil }
        let p = path.isEmpty ? k : "\(path).\(k)"
        guard case .object(let o) = v else { throw ConfigurationError(path: p, "must be an object, got \(v.typeName)") }
        try RulesConfiguration.rejectUnknown(o, allowed: ["matchLabels", "matchExpressions"], p)
        do {
            return try LabelSelector(json: v)
        } catch {
            throw ConfigurationError(path: p, error.description)
        }
    }

    /// A list of objects, each read with `allowedKeys`.
    func objects(_ k: String, allowedKeys: Set<String>) throws(ConfigurationError) -> [ParameterReader]? {
        guard let v = value(k) else { return nil }
        let p = path.isEmpty ? k : "\(path).\(k)"
        guard case .array(let items) = v else { throw ConfigurationError(path: p, "must be a list, got \(v.typeName)") }
        var out: [ParameterReader] = []
        for (i, item) in items.enumerated() {
            out.append(try ParameterReader(item, allowedKeys: allowedKeys, path: "\(p)[\(i)]"))
        }
        return out
    }

    /// Path of key `k` for error messages.
    func keyPath(_ k: String) -> String { path.isEmpty ? k : "\(path).\(k)" }
}
