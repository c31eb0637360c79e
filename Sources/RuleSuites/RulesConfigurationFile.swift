import AdmissionRules
import Foundation
import JSON
import YAMLValue

/// The `--config` rules file: YAML (or JSON, which is YAML), checked completely at start-up.
/// Every error names the file, the line and column of the offending key, and the key path:
/// `rules.yaml:52:19: rules[2].parameters.labels[0].patern: unknown key; expected one of key, pattern`.
public enum RulesConfigurationFile {
    public struct LoadError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The rule set for `file` (nil: the registry's default configuration).
    public static func makeRuleSet(_ registry: RuleRegistry, file: String?) throws -> RuleSet {
        guard let file else { return try registry.makeRuleSet(configuration: nil) }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw LoadError(description: "\(file): cannot read file")
        }
        return try makeRuleSet(registry, bytes: [UInt8](data), file: file)
    }

    public static func makeRuleSet(_ registry: RuleRegistry, bytes: [UInt8], file: String) throws -> RuleSet {
        let json: JSONValue
        do {
            json = try YAMLValue.parse(bytes: bytes)
        } catch {
            throw LoadError(description: "\(file): \(error)")
        }
        do {
            return try registry.makeRuleSet(configuration: json)
        } catch {
            throw locate(error, file: file, bytes: bytes)
        }
    }

    /// `error` placed at the line and column of its key path in the file's text.
    public static func locate(_ error: ConfigurationError, file: String?, bytes: [UInt8]?) -> ConfigurationError {
        guard let bytes else { return error.located(file: file, line: nil) }
        let text = String(decoding: bytes, as: UTF8.self)
        // An unknown key is shown where the key is written; a bad value where the value is.
        let at = error.message.hasPrefix("unknown key")
            ? YAMLValue.keyLocation(ofFieldPath: error.path, in: text)
            : YAMLValue.location(ofFieldPath: error.path, in: text)
        return error.located(file: file, line: at?.line, column: at?.column)
    }
}
