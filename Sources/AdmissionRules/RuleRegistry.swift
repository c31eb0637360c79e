import JSON

/// Rule types by name, each with a factory building a rule from its `parameters`.
/// The composition root registers the built-in types; configuration picks instances.
public struct RuleRegistry: Sendable {
    /// Builds a rule from configuration parameters (an empty object when none are given).
    /// Throw a `ConfigurationError` with a path relative to `parameters` for precise messages.
    public typealias Factory = @Sendable (_ parameters: JSONValue) throws -> any AdmissionRule

    public struct RuleType: Sendable {
        public let name: String
        public let summary: String
        /// Part of the default configuration (no `--config`). Rules that do nothing useful
        /// without parameters (presets, label lists) are registered with `false`.
        public let enabledByDefault: Bool
        /// Rule types whose instances must come later in the configuration, e.g. a resource
        /// defaulter before the MPA rule so the MPA recommendation wins.
        public let runsBefore: Set<String>
        public let factory: Factory
    }

    public private(set) var types: [RuleType] = []

    public init() {}

    public var typeNames: [String] { types.map(\.name) }

    public func type(named name: String) -> RuleType? { types.first { $0.name == name } }

    public mutating func register(_ name: String, summary: String = "", enabledByDefault: Bool = true,
                                  runsBefore: Set<String> = [], factory: @escaping Factory) throws(ConfigurationError) {
        guard Self.isValidTypeName(name) else {
            throw ConfigurationError(path: "", "rule type name \"\(name)\" must be letters, digits, '-' or '.', starting with a letter")
        }
        guard type(named: name) == nil else {
            throw ConfigurationError(path: "", "rule type \"\(name)\" is registered twice")
        }
        types.append(RuleType(name: name, summary: summary, enabledByDefault: enabledByDefault,
                              runsBefore: runsBefore, factory: factory))
    }

    /// Type names are identifiers as operators write them in configuration: `mpa-pod-defaults`
    /// or `requiredLabels` (camelCase is allowed, unlike instance names, which end up in metric labels).
    static func isValidTypeName(_ name: String) -> Bool {
        let b = Array(name.utf8)
        guard !b.isEmpty, b.count <= 63 else { return false }
        func letter(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) }
        func alnum(_ c: UInt8) -> Bool { letter(c) || (c >= 0x30 && c <= 0x39) }
        guard let f = b.first, let l = b.last, letter(f), alnum(l) else { return false }
        return b.allSatisfy { alnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
    }

    /// Every type registered with `enabledByDefault`, once, in registration order, with its own defaults.
    public func defaultConfiguration() -> RulesConfiguration {
        RulesConfiguration(rules: types.filter(\.enabledByDefault).map { RulesConfiguration.Instance(type: $0.name) })
    }

    /// Parses `json` (nil = the default configuration) and builds the rule set.
    public func makeRuleSet(configuration json: JSONValue?) throws(ConfigurationError) -> RuleSet {
        guard let json else { return try makeRuleSet(defaultConfiguration()) }
        return try makeRuleSet(try RulesConfiguration(json: json))
    }

    /// Builds enabled instances in configuration order.
    public func makeRuleSet(_ configuration: RulesConfiguration) throws(ConfigurationError) -> RuleSet {
        var set = RuleSet()
        try checkOrder(configuration)
        for (i, inst) in configuration.rules.enumerated() where inst.enabled {
            let path = "rules[\(i)]"
            guard let type = type(named: inst.type) else {
                let known = typeNames.isEmpty ? "none registered" : "known: " + typeNames.joined(separator: ", ")
                throw ConfigurationError(path: "\(path).type", "unknown rule type \"\(inst.type)\" (\(known))")
            }
            let rule: any AdmissionRule
            do {
                rule = try type.factory(inst.parameters)
            } catch let error as ConfigurationError {
                throw error.under("\(path).parameters")
            } catch {
                throw ConfigurationError(path: "\(path).parameters", String(describing: error))
            }
            do {
                try set.add(rule, name: inst.name, match: inst.match.applied(to: rule.match), failurePolicy: inst.failurePolicy)
            } catch {
                throw ConfigurationError(path: path, error.description)
            }
        }
        return set
    }

    /// Rejects an enabled instance of a type listed after an enabled instance of a type it must run before.
    private func checkOrder(_ configuration: RulesConfiguration) throws(ConfigurationError) {
        var seen: [String: Int] = [:]  // type -> first enabled index
        for (i, inst) in configuration.rules.enumerated() where inst.enabled {
            if seen[inst.type] == nil { seen[inst.type] = i }
            guard let t = type(named: inst.type) else { continue }
            for later in t.runsBefore.sorted() {
                if let j = seen[later], j < i {
                    throw ConfigurationError(path: "rules[\(i)]",
                                             "\(inst.type) must be listed before \(later) (rules[\(j)]) so that \(later) runs after it and its values win")
                }
            }
        }
    }
}
