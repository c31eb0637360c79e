/// A rules configuration problem, naming the key path (`rules[2].match.operations[0]`) and,
/// once the loader has placed it, the file and line it comes from.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Dotted key path; empty for the document itself.
    public var path: String
    public var message: String
    /// Where the offending value is written (set by `located(file:line:column:)`).
    public var file: String?
    public var line: Int?
    public var column: Int?

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    /// `rules.yaml:12:7: rules[0].parameters.labels: message` (unknown parts left out).
    public var description: String {
        var prefix = ""
        if let file {
            prefix = file
            if let line { prefix += ":\(line)" + (column.map { ":\($0)" } ?? "") }
            prefix += ": "
        } else if let line {
            prefix = "line \(line): "
        }
        return prefix + (path.isEmpty ? message : "\(path): \(message)")
    }

    /// The same error under a parent path (for nested parsers, e.g. a rule's parameters).
    public func under(_ parent: String) -> ConfigurationError {
        guard !parent.isEmpty else { return self }
        var e = self
        if path.isEmpty {
            e.path = parent
        } else {
            let sep = path.hasPrefix("[") ? "" : "."
            e.path = parent + sep + path
        }
        return e
    }

    /// The same error placed in a source file.
    public func located(file: String?, line: Int?, column: Int? = nil) -> ConfigurationError {
        var e = self
        e.file = file; e.line = line; e.column = column
        return e
    }
}
