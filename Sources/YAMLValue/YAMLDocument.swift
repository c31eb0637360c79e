import JSON

/// One document of a YAML stream, converted: its value and where it starts.
public struct YAMLDocument: Sendable, Hashable {
    /// 0-based position in the stream.
    public var index: Int
    /// 1-based line of the document's root node (1 for an empty document).
    public var line: Int
    public var value: JSONValue

    public init(index: Int, line: Int, value: JSONValue) {
        self.index = index; self.line = line; self.value = value
    }
}
