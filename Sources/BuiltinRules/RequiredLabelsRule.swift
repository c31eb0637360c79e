import AdmissionAPI
import AdmissionRules
import JSON

/// `requiredLabels` (validating): listed label keys must be present on the object, each
/// optionally matching an anchored pattern. One violation per missing or mismatching label,
/// so the denial names all of them at once.
///
///     parameters:
///       labels:
///         - key: team
///         - key: cost-center
///           pattern: "[0-9]{4}"
///
/// Default match: pods, CREATE and UPDATE (widen `match.resources` for other namespaced
/// objects). On UPDATE only problems the update introduces are denied (an object created
/// before the rule can still be updated, e.g. to remove its finalizers).
public struct RequiredLabelsRule: Validator {
    public struct Requirement: Sendable, Hashable {
        public var key: String
        public var pattern: LabelPattern?
        public init(key: String, pattern: LabelPattern? = nil) { self.key = key; self.pattern = pattern }
    }

    public static let typeName = "requiredLabels"
    /// Longest label value checked against a pattern (Kubernetes allows 63).
    static let maxCheckedValueLength = 253

    public var name = RequiredLabelsRule.typeName
    public var match = RuleMatch(resources: [RuleMatch.Resource(group: "", version: "v1", resource: "pods")],
                                 operations: [.create, .update])
    public var requirements: [Requirement]

    public init(requirements: [Requirement]) { self.requirements = requirements }

    public init(parameters: JSONValue) throws(ConfigurationError) {
        let p = try ParameterReader(parameters, allowedKeys: ["labels"])
        guard let items = try p.objects("labels", allowedKeys: ["key", "pattern"]), !items.isEmpty else {
            throw ConfigurationError(path: "labels", "is required: a non-empty list of {key, pattern}")
        }
        var out: [Requirement] = []
        for item in items {
            guard let key = try item.string("key"), !key.isEmpty else {
                throw ConfigurationError(path: item.keyPath("key"), "is required")
            }
            if out.contains(where: { $0.key == key }) {
                throw ConfigurationError(path: item.keyPath("key"), "label \"\(key)\" is listed twice")
            }
            var requirement = Requirement(key: key)
            if let source = try item.string("pattern") {
                do {
                    requirement.pattern = try LabelPattern(source)
                } catch {
                    throw ConfigurationError(path: item.keyPath("pattern"), "invalid pattern \"\(source)\": \(error.message)")
                }
            }
            out.append(requirement)
        }
        requirements = out
    }

    /// Every missing or mismatching label of `object`.
    public func violations(of object: JSONValue) -> [Violation] {
        let labels = object["metadata"]?["labels"]?.objectValue
        var out: [Violation] = []
        for r in requirements {
            let field = "metadata.labels[\(r.key)]"
            guard let value = labels?[r.key] else {
                let hint = r.pattern.map { " (matching \($0.source))" } ?? ""
                out.append(Violation(field: field, message: "label \"\(r.key)\" is required\(hint)", reason: "FieldValueRequired"))
                continue
            }
            guard let pattern = r.pattern else { continue }
            guard case .string(let text) = value else {
                out.append(Violation(field: field, message: "label \"\(r.key)\" must be a string"))
                continue
            }
            if text.utf8.count > Self.maxCheckedValueLength {
                out.append(Violation(field: field, message: "label \"\(r.key)\" is longer than \(Self.maxCheckedValueLength) bytes"))
            } else if !pattern.matches(text) {
                out.append(Violation(field: field,
                                     message: "label \"\(r.key)\" value \(AdmissionReview.quote(text)) does not match \(pattern.source)"))
            }
        }
        return out
    }

    public func validateCreate(_ request: AdmissionRequest, object: JSONValue) async throws -> Validation {
        Validation(violations: violations(of: object))
    }

    public func validateUpdate(_ request: AdmissionRequest, object: JSONValue, oldObject: JSONValue) async throws -> Validation {
        let now = violations(of: object)
        let introduced = ValidationRatchet.introduced(now, comparedTo: violations(of: oldObject))
        let kept = now.count - introduced.count
        let warnings = kept > 0 ? ["\(name): object still lacks \(kept) required label(s) it already lacked; not denied on update"] : []
        return Validation(violations: introduced, warnings: warnings)
    }
}
