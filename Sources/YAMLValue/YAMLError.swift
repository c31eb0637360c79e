/// A YAML document that could not be read or turned into a JSON value.
///
/// `line`/`column` are 1-based (libyaml marks, columns in Unicode scalars); `path` is the
/// key path to the offending value in Kubernetes field-path form (`spec.containers[0].name`),
/// empty at the document root or when the YAML itself does not parse.
public struct YAMLError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int?
    public var column: Int?
    public var path: String
    public var message: String

    public init(line: Int?, column: Int?, path: String, message: String) {
        self.line = line; self.column = column; self.path = path; self.message = message
    }

    /// `line 3, column 7: at spec.replicas: <message>` (parts that are unknown are left out).
    public var description: String {
        var parts: [String] = []
        if let line {
            parts.append(column.map { "line \(line), column \($0)" } ?? "line \(line)")
        }
        if !path.isEmpty { parts.append("at \(path)") }
        parts.append(message)
        return parts.joined(separator: ": ")
    }
}
