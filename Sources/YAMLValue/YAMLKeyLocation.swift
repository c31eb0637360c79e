import Yams

extension YAMLValue {
    /// Like `location(ofFieldPath:)`, but when the path ends at a mapping key, the position of
    /// the key itself (`mtach:`) rather than of its value (for a block value, the next line).
    /// Meant for "unknown key" messages; falls back to `location(ofFieldPath:)`.
    public static func keyLocation(ofFieldPath fieldPath: String, documentIndex: Int = 0,
                                   in text: String) -> (line: Int, column: Int)? {
        if var documents = try? Yams.compose_all(yaml: text, Resolver.basic) {
            var index = 0
            while let root = documents.next() {
                if index == documentIndex {
                    if let mark = keyMark(FieldPathComponent.parse(fieldPath)[...], in: root) { return (mark.line, mark.column) }
                    break
                }
                index += 1
            }
        }
        return location(ofFieldPath: fieldPath, documentIndex: documentIndex, in: text)
    }

    /// The mark of the key the path ends at, joining segments for keys containing dots.
    private static func keyMark(_ path: ArraySlice<FieldPathComponent>, in node: Node) -> Mark? {
        guard let first = path.first else { return nil }
        switch (first, node) {
        case (.index(let i), .sequence(let seq)):
            guard i >= 0, i < seq.count else { return nil }
            return keyMark(path.dropFirst(), in: seq[i])
        case (.key, .mapping(let mapping)):
            var joined = ""
            var rest = path
            while case .key(let k)? = rest.first {
                joined = joined.isEmpty ? k : "\(joined).\(k)"
                rest = rest.dropFirst()
                for (key, value) in mapping where key.string == joined {
                    if rest.isEmpty { return key.mark }
                    if let mark = keyMark(rest, in: value) { return mark }
                }
            }
            return nil
        default:
            return nil
        }
    }
}
