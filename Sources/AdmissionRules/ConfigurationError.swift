/// A rules configuration problem, naming the key path (`rules[2].match.operations[0]`).
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Dotted key path; empty for the document itself.
    public var path: String
    public var message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }

    /// The same error under a parent path (for nested parsers, e.g. a rule's parameters).
    public func under(_ parent: String) -> ConfigurationError {
        guard !parent.isEmpty else { return self }
        if path.isEmpty { return ConfigurationError(path: parent, message) }
        let sep = path.hasPrefix("[") ? "" : "."
        return ConfigurationError(path: parent + sep + path, message)
    }
}
