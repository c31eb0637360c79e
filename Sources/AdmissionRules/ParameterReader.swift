import JSON

/// Typed access to a rule type's `parameters` object for factories, with errors whose path
/// is relative to `parameters` (the registry prefixes `rules[i].parameters`).
///
///     let p = try ParameterReader(parameters, allowedKeys: ["key", "value"])
///     let key = try p.string("key") ?? "default"
public struct ParameterReader: Sendable {
    public let object: JSONObject
    public let path: String

    /// `value` must be an object (null counts as empty); keys outside `allowedKeys` are rejected.
    public init(_ value: JSONValue, allowedKeys: Set<String>, path: String = "") throws(ConfigurationError) {
        if value.isNull {
            object = JSONObject()
        } else {
            guard case .object(let o) = value else {
                throw ConfigurationError(path: path, "must be an object, got \(value.typeName)")
            }
            object = o
        }
        self.path = path
        try RulesConfiguration.rejectUnknown(object, allowed: allowedKeys, path)
    }

    private func key(_ k: String) -> String { path.isEmpty ? k : "\(path).\(k)" }

    /// The raw value (nil when absent or null).
    public func value(_ k: String) -> JSONValue? {
        guard let v = object[k], !v.isNull else { return nil }
        return v
    }

    public func string(_ k: String) throws(ConfigurationError) -> String? {
        guard let v = value(k) else { return nil }
        guard case .string(let s) = v else { throw ConfigurationError(path: key(k), "must be a string, got \(v.typeName)") }
        return s
    }

    public func bool(_ k: String) throws(ConfigurationError) -> Bool? {
        guard let v = value(k) else { return nil }
        guard case .bool(let b) = v else { throw ConfigurationError(path: key(k), "must be true or false, got \(v.typeName)") }
        return b
    }

    public func int(_ k: String) throws(ConfigurationError) -> Int64? {
        guard let v = value(k) else { return nil }
        guard let i = v.int64Value else { throw ConfigurationError(path: key(k), "must be an integer, got \(v)") }
        return i
    }

    public func strings(_ k: String) throws(ConfigurationError) -> [String]? {
        guard let v = value(k) else { return nil }
        guard case .array(let a) = v else { throw ConfigurationError(path: key(k), "must be a list of strings, got \(v.typeName)") }
        var out: [String] = []
        for (i, e) in a.enumerated() {
            guard case .string(let s) = e else {
                throw ConfigurationError(path: "\(key(k))[\(i)]", "must be a string, got \(e.typeName)")
            }
            out.append(s)
        }
        return out
    }

    /// A nested object's reader.
    public func object(_ k: String, allowedKeys: Set<String>) throws(ConfigurationError) -> ParameterReader? {
        guard let v = value(k) else { return nil }
        return try ParameterReader(v, allowedKeys: allowedKeys, path: key(k))
    }
}
