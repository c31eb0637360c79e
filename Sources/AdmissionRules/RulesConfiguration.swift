import AdmissionAPI
import JSON

/// Which rules run, in which order, with which settings. Parsed from a JSON value (YAML
/// files are converted to JSON values before they get here):
///
///     rules:
///       - type: pod-defaults          # registered rule type (required)
///         name: pod-defaults-prod     # instance name (default: the rule's own name)
///         enabled: true               # default true
///         failurePolicy: Fail         # Ignore | Fail (default: the rule's own)
///         match:                      # each key present replaces the rule's own
///           resources: [{group: "", version: v1, resource: pods}]
///           operations: [CREATE, UPDATE]      # or ["*"]
///           namespaces: [prod]                # null = any
///           namespaceSelector: {matchLabels: {...}, matchExpressions: [...]}
///           objectSelector: {...}
///         parameters: {...}           # handed to the rule type's factory (default {})
///
/// Unknown keys are rejected so a typo does not silently change behaviour.
public struct RulesConfiguration: Sendable {
    public struct Instance: Sendable {
        public var type: String
        public var name: String?
        public var enabled: Bool
        public var failurePolicy: FailurePolicy?
        public var match: MatchOverride
        public var parameters: JSONValue

        public init(type: String, name: String? = nil, enabled: Bool = true, failurePolicy: FailurePolicy? = nil,
                    match: MatchOverride = MatchOverride(), parameters: JSONValue = .object(JSONObject())) {
            self.type = type; self.name = name; self.enabled = enabled; self.failurePolicy = failurePolicy
            self.match = match; self.parameters = parameters
        }
    }

    /// Per-field replacements of a rule's `RuleMatch`; nil = keep the rule's own.
    public struct MatchOverride: Sendable {
        public var resources: [RuleMatch.Resource]?
        public var operations: Set<AdmissionOperation>?
        /// `.some(nil)` clears the rule's namespace list (any namespace).
        public var namespaces: Set<String>??
        public var namespaceSelector: LabelSelector??
        public var objectSelector: LabelSelector??

        public init(resources: [RuleMatch.Resource]? = nil, operations: Set<AdmissionOperation>? = nil,
                    namespaces: Set<String>?? = nil, namespaceSelector: LabelSelector?? = nil,
                    objectSelector: LabelSelector?? = nil) {
            self.resources = resources; self.operations = operations; self.namespaces = namespaces
            self.namespaceSelector = namespaceSelector; self.objectSelector = objectSelector
        }

        public func applied(to base: RuleMatch) -> RuleMatch {
            var m = base
            if let resources { m.resources = resources }
            if let operations { m.operations = operations }
            if let namespaces { m.namespaces = namespaces }
            if let namespaceSelector { m.namespaceSelector = namespaceSelector }
            if let objectSelector { m.objectSelector = objectSelector }
            return m
        }
    }

    public var rules: [Instance]

    public init(rules: [Instance]) { self.rules = rules }

    public init(json: JSONValue) throws(ConfigurationError) {
        let root = try Self.object(json, "")
        try Self.rejectUnknown(root, allowed: ["rules"], "")
        guard let list = root["rules"], !list.isNull else {
            throw ConfigurationError(path: "rules", "is required (a list of rule instances)")
        }
        guard case .array(let items) = list else {
            throw ConfigurationError(path: "rules", "must be a list, got \(list.typeName)")
        }
        var rules: [Instance] = []
        for (i, item) in items.enumerated() {
            rules.append(try Self.instance(item, "rules[\(i)]"))
        }
        self.rules = rules
    }

    // MARK: - parsing

    private static func instance(_ value: JSONValue, _ path: String) throws(ConfigurationError) -> Instance {
        let o = try object(value, path)
        try rejectUnknown(o, allowed: ["type", "name", "enabled", "failurePolicy", "match", "parameters"], path)
        guard let type = try string(o, "type", path), !type.isEmpty else {
            throw ConfigurationError(path: "\(path).type", "is required")
        }
        var inst = Instance(type: type)
        if let name = try string(o, "name", path) {
            guard isValidName(name) else {
                throw ConfigurationError(path: "\(path).name",
                                         "\"\(name)\" must be lowercase letters, digits, '-' or '.', start and end alphanumeric, at most 63 characters")
            }
            inst.name = name
        }
        if let v = o["enabled"], !v.isNull {
            guard case .bool(let b) = v else { throw ConfigurationError(path: "\(path).enabled", "must be true or false, got \(v.typeName)") }
            inst.enabled = b
        }
        if let fp = try string(o, "failurePolicy", path) {
            guard let p = FailurePolicy(rawValue: fp) else {
                throw ConfigurationError(path: "\(path).failurePolicy", "must be Ignore or Fail, got \"\(fp)\"")
            }
            inst.failurePolicy = p
        }
        if let m = o["match"], !m.isNull { inst.match = try matchOverride(m, "\(path).match") }
        if let p = o["parameters"], !p.isNull { inst.parameters = p }
        return inst
    }

    private static func matchOverride(_ value: JSONValue, _ path: String) throws(ConfigurationError) -> MatchOverride {
        let o = try object(value, path)
        try rejectUnknown(o, allowed: ["resources", "operations", "namespaces", "namespaceSelector", "objectSelector"], path)
        var m = MatchOverride()
        if let v = o["resources"] {
            let items = try list(v, "\(path).resources")
            var out: [RuleMatch.Resource] = []
            for (i, item) in items.enumerated() {
                let p = "\(path).resources[\(i)]"
                let r = try object(item, p)
                try rejectUnknown(r, allowed: ["group", "version", "resource"], p)
                guard let resource = try string(r, "resource", p), !resource.isEmpty else {
                    throw ConfigurationError(path: "\(p).resource", "is required")
                }
                out.append(RuleMatch.Resource(group: try string(r, "group", p) ?? "",
                                              version: try string(r, "version", p) ?? "*", resource: resource))
            }
            m.resources = out
        }
        if let v = o["operations"] {
            var ops = Set<AdmissionOperation>()
            for (i, item) in try list(v, "\(path).operations").enumerated() {
                guard case .string(let text) = item else {
                    throw ConfigurationError(path: "\(path).operations[\(i)]", "must be a string, got \(item.typeName)")
                }
                if text == "*" { ops.formUnion(AdmissionOperation.allCases); continue }
                guard let op = AdmissionOperation(rawValue: text) else {
                    throw ConfigurationError(path: "\(path).operations[\(i)]",
                                             "\"\(text)\" is not one of CREATE, UPDATE, DELETE, CONNECT, *")
                }
                ops.insert(op)
            }
            m.operations = ops
        }
        if let v = o["namespaces"] {
            if v.isNull {
                m.namespaces = .some(nil)
            } else {
                var names = Set<String>()
                for (i, item) in try list(v, "\(path).namespaces").enumerated() {
                    guard case .string(let s) = item else {
                        throw ConfigurationError(path: "\(path).namespaces[\(i)]", "must be a string, got \(item.typeName)")
                    }
                    names.insert(s)
                }
                m.namespaces = .some(names)
            }
        }
        if let v = o["namespaceSelector"] { m.namespaceSelector = .some(try selector(v, "\(path).namespaceSelector")) }
        if let v = o["objectSelector"] { m.objectSelector = .some(try selector(v, "\(path).objectSelector")) }
        return m
    }

    private static func selector(_ value: JSONValue, _ path: String) throws(ConfigurationError) -> LabelSelector? {
        if value.isNull { return nil }
        let o = try object(value, path)
        try rejectUnknown(o, allowed: ["matchLabels", "matchExpressions"], path)
        do {
            return try LabelSelector(json: value)
        } catch {
            throw ConfigurationError(path: path, error.description)
        }
    }

    // MARK: - helpers

    static func object(_ value: JSONValue, _ path: String) throws(ConfigurationError) -> JSONObject {
        guard case .object(let o) = value else {
            throw ConfigurationError(path: path, "must be an object, got \(value.typeName)")
        }
        return o
    }

    private static func list(_ value: JSONValue, _ path: String) throws(ConfigurationError) -> [JSONValue] {
        guard case .array(let a) = value else { throw ConfigurationError(path: path, "must be a list, got \(value.typeName)") }
        return a
    }

    private static func string(_ o: JSONObject, _ key: String, _ path: String) throws(ConfigurationError) -> String? {
        guard let v = o[key], !v.isNull else { return nil }
        guard case .string(let s) = v else {
            throw ConfigurationError(path: path.isEmpty ? key : "\(path).\(key)", "must be a string, got \(v.typeName)")
        }
        return s
    }

    /// Rejects keys outside `allowed`, naming the first one.
    public static func rejectUnknown(_ o: JSONObject, allowed: Set<String>, _ path: String) throws(ConfigurationError) {
        for key in o.keys where !allowed.contains(key) {
            throw ConfigurationError(path: path.isEmpty ? key : "\(path).\(key)",
                                     "unknown key; expected one of \(allowed.sorted().joined(separator: ", "))")
        }
    }

    /// Lowercase DNS-label-like names keep log fields and metric labels tidy.
    static func isValidName(_ name: String) -> Bool {
        let b = Array(name.utf8)
        guard !b.isEmpty, b.count <= 63 else { return false }
        func alnum(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7A) }
        guard let f = b.first, let l = b.last, alnum(f), alnum(l) else { return false }
        return b.allSatisfy { alnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
    }
}
