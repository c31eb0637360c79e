import JSON
import Yams

/// YAML text → `JSONValue`, the way Kubernetes reads manifests (see `YAMLScalarResolver`).
///
/// Mapping keys keep their order. Keys must be scalars; non-string keys become their JSON text
/// (`1: a` → `"1"`, `true: a` → `"true"`), as sigs.k8s.io/yaml does. Duplicate keys are an error
/// (strict, so a typo does not silently change a value). Merge keys (`<<: *base`) are applied
/// with explicit keys winning. Aliases are expanded; the number of values produced is bounded
/// (`maxValues`) so an alias bomb is an error, not an out-of-memory.
public enum YAMLValue {
    /// Upper bound on values produced from one stream (after alias expansion).
    public static let maxValues = 5_000_000
    /// Upper bound on nesting (the JSON parser's default), so deep input is an error, not a stack overflow.
    public static let maxDepth = 512

    /// A single-document YAML (or JSON) text. An empty text is `null`.
    public static func parse(_ text: String) throws(YAMLError) -> JSONValue {
        let documents = try parseDocuments(text)
        guard documents.count <= 1 else {
            throw YAMLError(line: documents.dropFirst().first?.line, column: nil, path: "",
                            message: "expected a single YAML document, found \(documents.count)")
        }
        return documents.first?.value ?? .null
    }

    public static func parse(bytes: [UInt8]) throws(YAMLError) -> JSONValue {
        try parse(try decodeText(bytes))
    }

    /// Every document of a multi-document stream (`---` separated), empty ones included as `null`.
    public static func parseDocuments(_ text: String) throws(YAMLError) -> [YAMLDocument] {
        var converter = Converter()
        var documents: [YAMLDocument] = []
        do {
            var sequence = try Yams.compose_all(yaml: text, Resolver.basic)
            while let node = sequence.next() {
                let value = try converter.convert(node, path: "")
                documents.append(YAMLDocument(index: documents.count, line: node.mark?.line ?? 1, value: value))
            }
            if let error = sequence.error { throw error }
        } catch let error as YAMLError {
            throw error
        } catch let error as YamlError {
            throw Self.describe(error)
        } catch {
            throw YAMLError(line: nil, column: nil, path: "", message: String(describing: error))
        }
        return documents
    }

    public static func parseDocuments(bytes: [UInt8]) throws(YAMLError) -> [YAMLDocument] {
        try parseDocuments(try decodeText(bytes))
    }

    static func decodeText(_ bytes: [UInt8]) throws(YAMLError) -> String {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        guard let text = String(validating: body, as: UTF8.self) else {
            throw YAMLError(line: nil, column: nil, path: "", message: "not valid UTF-8")
        }
        return text
    }

    /// A libyaml error as a one-line message with its position.
    static func describe(_ error: YamlError) -> YAMLError {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let prefix = context.map { "\($0.text) " } ?? ""
            return YAMLError(line: mark.line, column: mark.column, path: "", message: "invalid YAML: \(prefix)\(problem)")
        case let .reader(problem, offset, _, yaml):
            var line: Int?
            var column: Int?
            if let offset {
                let prefix = yaml.utf8.prefix(max(0, offset))
                line = prefix.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
                column = prefix.reversed().firstIndex(of: 0x0A).map { prefix.distance(from: $0.base, to: prefix.endIndex) + 1 }
                    ?? prefix.count + 1
            }
            return YAMLError(line: line, column: column, path: "", message: "invalid YAML: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            return YAMLError(line: context.mark.line, column: context.mark.column, path: "",
                             message: "duplicate key \(keys) in a mapping")
        default:
            return YAMLError(line: nil, column: nil, path: "", message: "invalid YAML: \(error)")
        }
    }
}

/// Walks a composed node tree; counts produced values against `YAMLValue.maxValues`.
struct Converter {
    var produced = 0

    var depth = 0

    mutating func convert(_ node: Node, path: String) throws(YAMLError) -> JSONValue {
        depth += 1
        defer { depth -= 1 }
        guard depth <= YAMLValue.maxDepth else {
            throw error(node, path, "nesting deeper than \(YAMLValue.maxDepth) levels")
        }
        produced += 1
        guard produced <= YAMLValue.maxValues else {
            throw error(node, path, "more than \(YAMLValue.maxValues) values (alias expansion too large)")
        }
        switch node {
        case .scalar(let scalar):
            return try resolve(scalar, node, path)
        case .sequence(let sequence):
            var items: [JSONValue] = []
            items.reserveCapacity(sequence.count)
            for (i, child) in sequence.enumerated() {
                items.append(try convert(child, path: "\(path)[\(i)]"))
            }
            return .array(items)
        case .mapping(let mapping):
            return .object(try object(mapping, node, path))
        case .alias(let alias):
            throw error(node, path, "unresolved alias *\(alias.anchor.rawValue)")
        }
    }

    private mutating func object(_ mapping: Node.Mapping, _ node: Node, _ path: String) throws(YAMLError) -> JSONObject {
        var members: [JSONObject.Member] = []
        var seen: [String: Int] = [:]
        var merged: [JSONObject.Member] = []
        for (keyNode, valueNode) in mapping {
            if case .scalar(let k) = keyNode, k.string == "<<", k.style == .plain || k.style == .any,
               k.tag.rawValue.isEmpty || k.tag.rawValue == Tag.Name.merge.rawValue {
                merged.append(contentsOf: try mergeSources(valueNode, path))
                continue
            }
            let key = try keyText(keyNode, path)
            let childPath = path.isEmpty ? key : "\(path).\(key)"
            if seen[key] != nil {
                throw error(keyNode, childPath, "duplicate key \"\(key)\"")
            }
            seen[key] = members.count
            members.append((key: key, value: try convert(valueNode, path: childPath)))
        }
        for m in merged where seen[m.key] == nil {
            seen[m.key] = members.count
            members.append(m)
        }
        return JSONObject(members)
    }

    /// The members a `<<` value contributes: a mapping, or a list of mappings (earlier wins).
    private mutating func mergeSources(_ node: Node, _ path: String) throws(YAMLError) -> [JSONObject.Member] {
        switch node {
        case .mapping:
            guard case .object(let o) = try convert(node, path: path) else { return [] }
            return o.members
        case .sequence(let sequence):
            var out: [JSONObject.Member] = []
            var keys = Set<String>()
            for (i, child) in sequence.enumerated() {
                guard case .mapping = child else {
                    throw error(child, "\(path)[\(i)]", "a merge key (<<) list must hold mappings")
                }
                guard case .object(let o) = try convert(child, path: path) else { continue }
                for m in o.members where keys.insert(m.key).inserted { out.append(m) }
            }
            return out
        default:
            throw error(node, path, "a merge key (<<) needs a mapping or a list of mappings")
        }
    }

    private func keyText(_ node: Node, _ path: String) throws(YAMLError) -> String {
        guard case .scalar(let scalar) = node else {
            throw error(node, path, "mapping keys must be scalars, found a \(Self.kindName(node))")
        }
        switch try resolve(scalar, node, path) {
        case .string(let s): return s
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n.text
        case .array, .object: return scalar.string
        }
    }

    private func resolve(_ scalar: Node.Scalar, _ node: Node, _ path: String) throws(YAMLError) -> JSONValue {
        let tag = scalar.tag.rawValue
        let plain = scalar.style == .plain || scalar.style == .any
        switch tag {
        case "", "?":
            guard plain else { return .string(scalar.string) }
        case "!", Tag.Name.str.rawValue, Tag.Name.binary.rawValue, Tag.Name.timestamp.rawValue:
            return .string(scalar.string)
        case Tag.Name.null.rawValue:
            guard YAMLScalarResolver.nulls.contains(scalar.string) else { throw error(node, path, "\"\(scalar.string)\" is not a !!null") }
            return .null
        case Tag.Name.bool.rawValue:
            if YAMLScalarResolver.trues.contains(scalar.string) { return .bool(true) }
            if YAMLScalarResolver.falses.contains(scalar.string) { return .bool(false) }
            throw error(node, path, "\"\(scalar.string)\" is not a !!bool")
        case Tag.Name.int.rawValue:
            guard let n = YAMLScalarResolver.integer(scalar.string.filter { $0 != "_" }) else {
                throw error(node, path, "\"\(scalar.string)\" is not a !!int")
            }
            return .number(n)
        case Tag.Name.float.rawValue:
            let text = scalar.string.filter { $0 != "_" }
            guard let n = YAMLScalarResolver.integer(text) ?? YAMLScalarResolver.float(text) else {
                throw error(node, path, "\"\(scalar.string)\" is not a !!float that JSON can hold")
            }
            return .number(n)
        default:
            // Local tags (`!foo`) carry no meaning for Kubernetes objects: resolve as untagged.
            break
        }
        switch YAMLScalarResolver.resolvePlain(scalar.string) {
        case .value(let v): return v
        case .notRepresentable(let why): throw error(node, path, why)
        }
    }

    static func kindName(_ node: Node) -> String {
        switch node {
        case .scalar: return "scalar"
        case .mapping: return "mapping"
        case .sequence: return "sequence"
        case .alias: return "alias"
        }
    }

    private func error(_ node: Node, _ path: String, _ message: String) -> YAMLError {
        YAMLError(line: node.mark?.line, column: node.mark?.column, path: path, message: message)
    }
}
