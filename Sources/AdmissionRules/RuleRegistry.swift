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
        public let factory: Factory
    }

    public private(set) var types: [RuleType] = []

    public init() {}

    public var typeNames: [String] { types.map(\.name) }

    public func type(named name: String) -> RuleType? { types.first { $0.name == name } }

    public mutating func register(_ name: String, summary: String = "", factory: @escaping Factory) throws(ConfigurationError) {
        guard RulesConfiguration.isValidName(name) else {
            throw ConfigurationError(path: "", "rule type name \"\(name)\" must be lowercase letters, digits, '-' or '.'")
        }
        guard type(named: name) == nil else {
            throw ConfigurationError(path: "", "rule type \"\(name)\" is registered twice")
        }
        types.append(RuleType(name: name, summary: summary, factory: factory))
    }

    /// Every registered type once, in registration order, with its own defaults.
    public func defaultConfiguration() -> RulesConfiguration {
        RulesConfiguration(rules: typeNames.map { RulesConfiguration.Instance(type: $0) })
    }

    /// Parses `json` (nil = the default configuration) and builds the rule set.
    public func makeRuleSet(configuration json: JSONValue?) throws(ConfigurationError) -> RuleSet {
        guard let json else { return try makeRuleSet(defaultConfiguration()) }
        return try makeRuleSet(try RulesConfiguration(json: json))
    }

    /// Builds enabled instances in configuration order.
    public func makeRuleSet(_ configuration: RulesConfiguration) throws(ConfigurationError) -> RuleSet {
        var set = RuleSet()
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
}
