import AdmissionRules
import JSON
import YAMLValue

/// The `--config` rules file: YAML (or JSON, which is YAML), checked completely at start-up.
/// Every error names the file, the line and column of the offending key, and the key path.
enum ConfigurationFile {
    static func makeRuleSet(_ registry: RuleRegistry, configFile: String?) throws -> RuleSet {
        guard let configFile else { return try registry.makeRuleSet(configuration: nil) }
        let bytes = try FileInput.read(configFile)
        let json: JSONValue
        do {
            json = try YAMLValue.parse(bytes: bytes)
        } catch {
            throw CLIError("\(configFile): \(error)")
        }
        do {
            return try registry.makeRuleSet(configuration: json)
        } catch {
            throw locate(error, file: configFile, bytes: bytes)
        }
    }

    /// Places `error` at the line of its key path in the file's text.
    static func locate(_ error: ConfigurationError, file: String, bytes: [UInt8]) -> ConfigurationError {
        let text = String(decoding: bytes, as: UTF8.self)
        let at = YAMLValue.location(ofFieldPath: error.path, in: text)
        return error.located(file: file, line: at?.line, column: at?.column)
    }
}
