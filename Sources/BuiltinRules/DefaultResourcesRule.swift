import AdmissionAPI
import AdmissionRules
import JSON
import JSONPatch
import Quantity

/// `defaultResources` (defaulting, pods): containers without a request or limit for a
/// resource get the configured default. Existing values are never changed, and a default
/// that would leave a request above its limit is skipped with a warning.
///
///     parameters:
///       requests: {cpu: 100m, memory: 128Mi}
///       limits: {memory: 512Mi}
///
/// Listed before `mpaPodResources` in the configuration (the registry enforces it), so the
/// MPA recommendation is applied afterwards and wins for MPA-managed pods.
public struct DefaultResourcesRule: Defaulter {
    public static let typeName = "defaultResources"

    public struct Default: Sendable, Hashable {
        public var resource: String
        /// As written in the configuration (the apiserver canonicalises it).
        public var text: String
        public var quantity: Quantity
    }

    public var name = DefaultResourcesRule.typeName
    public var match = RuleMatch(resources: [RuleMatch.Resource(group: "", version: "v1", resource: "pods")],
                                 operations: [.create])
    public var requests: [Default] = []
    public var limits: [Default] = []

    public init(requests: [Default], limits: [Default]) { self.requests = requests; self.limits = limits }

    public init(parameters: JSONValue) throws(ConfigurationError) {
        let p = try ParameterReader(parameters, allowedKeys: ["requests", "limits"])
        requests = try Self.defaults(p, "requests")
        limits = try Self.defaults(p, "limits")
        guard !(requests.isEmpty && limits.isEmpty) else {
            throw ConfigurationError(path: "", "needs requests or limits (e.g. requests: {cpu: 100m})")
        }
        for r in requests {
            if let l = limits.first(where: { $0.resource == r.resource }), r.quantity > l.quantity {
                throw ConfigurationError(path: "requests.\(r.resource)", "default request \(r.text) is above the default limit \(l.text)")
            }
        }
    }

    private static func defaults(_ p: ParameterReader, _ key: String) throws(ConfigurationError) -> [Default] {
        guard let v = p.value(key) else { return [] }
        guard case .object(let o) = v else { throw ConfigurationError(path: key, "must be a map of resource name to quantity, got \(v.typeName)") }
        var out: [Default] = []
        for m in o {
            let path = "\(key).\(m.key)"
            guard !m.key.isEmpty else { throw ConfigurationError(path: key, "resource names must not be empty") }
            let text: String
            switch m.value {
            case .string(let s): text = s
            case .number(let n): text = n.description
            default: throw ConfigurationError(path: path, "must be a quantity such as 100m or 128Mi, got \(m.value.typeName)")
            }
            let q: Quantity
            do { q = try Quantity(parsing: text) } catch {
                throw ConfigurationError(path: path, "\"\(text)\" is not a quantity: \(error.description)")
            }
            guard q.sign >= 0 else { throw ConfigurationError(path: path, "must not be negative") }
            out.append(Default(resource: m.key, text: text, quantity: q))
        }
        return out
    }

    // MARK: - defaulting

    public func `default`(_ request: AdmissionRequest, object pod: JSONValue) async throws -> Defaulting {
        var b = ObjectPatchBuilder(pod)
        var warnings: [String] = []
        for c in PodContainers.all(in: pod, lists: ["initContainers", "containers"]) {
            let resources = c.value["resources"]
            if let r = resources, !r.isNull, r.objectValue == nil {
                throw MalformedObject("\(c.field).resources is \(r.typeName), not an object")
            }
            let haveRequests = try Self.map(resources?["requests"], "\(c.field).resources.requests")
            let haveLimits = try Self.map(resources?["limits"], "\(c.field).resources.limits")

            var addRequests = JSONObject()
            for d in requests where haveRequests[d.resource] == nil {
                if let limitText = haveLimits[d.resource] {
                    guard let limit = try? Quantity(parsing: limitText) else {
                        warnings.append("defaultResources: container \(c.name): limits.\(d.resource) \"\(limitText)\" is not a quantity; request not defaulted")
                        continue
                    }
                    if d.quantity > limit {
                        warnings.append("defaultResources: container \(c.name): default request \(d.resource)=\(d.text) is above its limit \(limitText); not applied")
                        continue
                    }
                }
                addRequests[d.resource] = .string(d.text)
            }
            var addLimits = JSONObject()
            for d in limits where haveLimits[d.resource] == nil {
                let requestText = haveRequests[d.resource] ?? addRequests[d.resource]?.stringValue
                if let requestText {
                    guard let req = try? Quantity(parsing: requestText) else {
                        warnings.append("defaultResources: container \(c.name): requests.\(d.resource) \"\(requestText)\" is not a quantity; limit not defaulted")
                        continue
                    }
                    if req > d.quantity {
                        warnings.append("defaultResources: container \(c.name): request \(d.resource)=\(requestText) is above the default limit \(d.text); limit not applied")
                        continue
                    }
                }
                addLimits[d.resource] = .string(d.text)
            }
            try Self.merge(addRequests, into: c.tokens + ["resources", "requests"], &b)
            try Self.merge(addLimits, into: c.tokens + ["resources", "limits"], &b)
        }
        return Defaulting(change: .patch(b.operations), warnings: warnings)
    }

    /// Adds `members` under the object at `tokens`: one operation for the whole object when
    /// it is absent or null, else one per member (missing parents are created by the builder).
    private static func merge(_ members: JSONObject, into tokens: [String], _ b: inout ObjectPatchBuilder) throws {
        guard !members.isEmpty else { return }
        let path = JSONPointer(tokens: tokens)
        switch b.value(at: path) {
        case nil, .null?:
            try b.set(.object(members), at: path)
        default:
            for m in members { try b.set(m.value, at: JSONPointer(tokens: tokens + [m.key])) }
        }
    }

    /// A resource list as name -> quantity text (numbers are read as their text).
    private static func map(_ value: JSONValue?, _ field: String) throws -> [String: String] {
        switch value {
        case nil, .null?: return [:]
        case .object(let o)?:
            var out: [String: String] = [:]
            for m in o {
                switch m.value {
                case .string(let s): out[m.key] = s
                case .number(let n): out[m.key] = n.description
                default: throw MalformedObject("\(field).\(m.key) is \(m.value.typeName), not a quantity")
                }
            }
            return out
        case let other?:
            throw MalformedObject("\(field) is \(other.typeName), not an object")
        }
    }
}
