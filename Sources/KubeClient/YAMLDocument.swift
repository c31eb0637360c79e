import JSON
import Yams

/// YAML (kubeconfig) to our `JSONValue`: mappings keep their order, plain scalars become
/// null/bool/number by YAML 1.1 core resolution, everything else a string.
enum YAMLDocument {
    static func parse(_ text: String, what: String) throws -> JSONValue {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw KubeError.configuration("\(what) is not valid YAML: \(error)")
        }
        guard let node else { return .null }
        return try convert(node, what: what, depth: 0)
    }

    private static func convert(_ node: Node, what: String, depth: Int) throws -> JSONValue {
        guard depth < 64 else { throw KubeError.configuration("\(what) is nested too deeply") }
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain {
                switch Tag.Name(rawValue: node.tag.rawValue) {
                case Tag.Name.null: return .null
                case Tag.Name.bool: if let b = node.bool { return .bool(b) }
                case Tag.Name.int, Tag.Name.float: if let n = JSONNumber(parsing: scalar.string) { return .number(n) }
                default: break
                }
            }
            return .string(scalar.string)
        case .mapping(let mapping):
            var object = JSONObject()
            for (key, value) in mapping {
                guard let k = key.scalar?.string else { throw KubeError.configuration("\(what) has a non-scalar key") }
                object[k] = try convert(value, what: what, depth: depth + 1)
            }
            return .object(object)
        case .sequence(let sequence):
            return .array(try sequence.map { try convert($0, what: what, depth: depth + 1) })
        case .alias:
            throw KubeError.configuration("\(what) uses YAML aliases, which are not supported")
        }
    }
}
