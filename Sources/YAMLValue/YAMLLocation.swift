import Yams

extension YAMLValue {
    /// Where the value at a Kubernetes field path (`items[2].spec.x`) starts in document
    /// `documentIndex` of `text`, for error messages about already converted values.
    /// Returns the deepest node found along the path (the document root at worst), or nil
    /// when the text does not parse. Keys containing `.` are matched by joining segments.
    public static func location(ofFieldPath fieldPath: String, documentIndex: Int = 0,
                                in text: String) -> (line: Int, column: Int)? {
        guard var documents = try? Yams.compose_all(yaml: text, Resolver.basic) else { return nil }
        var index = 0
        while let node = documents.next() {
            if index == documentIndex {
                return locate(FieldPathComponent.parse(fieldPath)[...], in: node)
            }
            index += 1
        }
        return nil
    }

    private static func locate(_ path: ArraySlice<FieldPathComponent>, in node: Node) -> (line: Int, column: Int)? {
        let here = node.mark.map { (line: $0.line, column: $0.column) }
        guard let first = path.first else { return here }
        switch (first, node) {
        case (.index(let i), .sequence(let seq)):
            guard i >= 0, i < seq.count else { return here }
            return locate(path.dropFirst(), in: seq[i]) ?? here
        case (.key, .mapping(let mapping)):
            // Try `a`, then `a.b`, ... so keys with dots (annotations) are found.
            var joined = ""
            var rest = path
            while case .key(let k)? = rest.first {
                joined = joined.isEmpty ? k : "\(joined).\(k)"
                rest = rest.dropFirst()
                for (key, value) in mapping where key.string == joined {
                    return locate(rest, in: value) ?? key.mark.map { (line: $0.line, column: $0.column) } ?? here
                }
            }
            return here
        default:
            return here
        }
    }
}

/// One step of a Kubernetes field path.
enum FieldPathComponent: Equatable {
    case key(String)
    case index(Int)

    /// `a.b[0].c` → [a, b, 0, c]. Malformed brackets are kept as part of the key.
    static func parse(_ path: String) -> [FieldPathComponent] {
        var out: [FieldPathComponent] = []
        for segment in path.split(separator: ".", omittingEmptySubsequences: true) {
            var s = Substring(segment)
            var indices: [Int] = []
            while s.hasSuffix("]"), let open = s.lastIndex(of: "["),
                  let i = Int(s[s.index(after: open)..<s.index(before: s.endIndex)]) {
                indices.insert(i, at: 0)
                s = s[..<open]
            }
            if !s.isEmpty { out.append(.key(String(s))) }
            out.append(contentsOf: indices.map { .index($0) })
        }
        return out
    }
}
