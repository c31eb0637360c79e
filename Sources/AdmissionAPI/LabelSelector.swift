import JSON

/// A `metav1.LabelSelector`: matchLabels AND every matchExpression.
/// An empty selector matches everything (Kubernetes semantics for workload selectors).
public struct LabelSelector: Sendable, Hashable {
    public enum Operator: String, Sendable, Hashable {
        case `in` = "In", notIn = "NotIn", exists = "Exists", doesNotExist = "DoesNotExist"
    }

    public struct Requirement: Sendable, Hashable {
        public var key: String
        public var `operator`: Operator
        public var values: [String]
        public init(key: String, operator: Operator, values: [String] = []) {
            self.key = key; self.operator = `operator`; self.values = values
        }

        public func matches(_ labels: [String: String]) -> Bool {
            switch `operator` {
            case .in: return labels[key].map { values.contains($0) } ?? false
            case .notIn: return labels[key].map { !values.contains($0) } ?? true
            case .exists: return labels[key] != nil
            case .doesNotExist: return labels[key] == nil
            }
        }
    }

    public var matchLabels: [String: String]
    public var matchExpressions: [Requirement]

    public init(matchLabels: [String: String] = [:], matchExpressions: [Requirement] = []) {
        self.matchLabels = matchLabels
        self.matchExpressions = matchExpressions
    }

    public var isEmpty: Bool { matchLabels.isEmpty && matchExpressions.isEmpty }

    public func matches(_ labels: [String: String]) -> Bool {
        for (k, v) in matchLabels where labels[k] != v { return false }
        for r in matchExpressions where !r.matches(labels) { return false }
        return true
    }

    public enum DecodeError: Error, Sendable, Equatable, CustomStringConvertible {
        case invalid(String)
        public var description: String { switch self { case .invalid(let m): return m } }
    }

    /// Decodes `{matchLabels: {...}, matchExpressions: [{key, operator, values}]}`.
    public init(json: JSONValue) throws(DecodeError) {
        guard case .object(let o) = json else { throw .invalid("label selector must be an object") }
        var labels: [String: String] = [:]
        if let ml = o["matchLabels"], !ml.isNull {
            guard case .object(let m) = ml else { throw .invalid("matchLabels must be an object") }
            for member in m {
                guard case .string(let v) = member.value else { throw .invalid("matchLabels.\(member.key) must be a string") }
                labels[member.key] = v
            }
        }
        var exprs: [Requirement] = []
        if let me = o["matchExpressions"], !me.isNull {
            guard case .array(let list) = me else { throw .invalid("matchExpressions must be a list") }
            for (i, e) in list.enumerated() {
                guard let key = e["key"]?.stringValue else { throw .invalid("matchExpressions[\(i)].key is required") }
                guard let opText = e["operator"]?.stringValue, let op = Operator(rawValue: opText) else {
                    throw .invalid("matchExpressions[\(i)].operator must be In, NotIn, Exists or DoesNotExist")
                }
                var values: [String] = []
                if let vs = e["values"], !vs.isNull {
                    guard case .array(let arr) = vs else { throw .invalid("matchExpressions[\(i)].values must be a list") }
                    for v in arr {
                        guard let s = v.stringValue else { throw .invalid("matchExpressions[\(i)].values must be strings") }
                        values.append(s)
                    }
                }
                let needsValues = op == .in || op == .notIn
                if needsValues && values.isEmpty {
                    throw .invalid("matchExpressions[\(i)].values must be non-empty for \(op.rawValue)")
                }
                if !needsValues && !values.isEmpty {
                    throw .invalid("matchExpressions[\(i)].values must be empty for \(op.rawValue)")
                }
                exprs.append(Requirement(key: key, operator: op, values: values))
            }
        }
        self.init(matchLabels: labels, matchExpressions: exprs)
    }
}
