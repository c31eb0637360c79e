import AdmissionAPI
import JSON
import JSONPatch

/// What a rule applies to. Empty `resources`/`operations` never match: a rule must say.
public struct RuleMatch: Sendable {
    public struct Resource: Sendable, Hashable {
        /// `"*"` matches any value in each field.
        public var group: String
        public var version: String
        public var resource: String
        public init(group: String, version: String = "*", resource: String) {
            self.group = group; self.version = version; self.resource = resource
        }
    }

    public var resources: [Resource]
    public var operations: Set<AdmissionOperation>
    /// Namespaces by name (nil = any).
    public var namespaces: Set<String>?
    /// Namespaces by label (nil = any). Needs namespace labels from the caller's context.
    public var namespaceSelector: LabelSelector?
    /// The object's (or, on DELETE, the old object's) labels (nil = any).
    public var objectSelector: LabelSelector?

    public init(resources: [Resource], operations: Set<AdmissionOperation>, namespaces: Set<String>? = nil,
                namespaceSelector: LabelSelector? = nil, objectSelector: LabelSelector? = nil) {
        self.resources = resources; self.operations = operations; self.namespaces = namespaces
        self.namespaceSelector = namespaceSelector; self.objectSelector = objectSelector
    }
}

/// What happens when a rule throws: `ignore` (fail open: allow without the rule's
/// changes) or `fail` (fail closed: deny with 500-class status).
public enum FailurePolicy: String, Sendable {
    case ignore = "Ignore"
    case fail = "Fail"
}

/// Shared by defaulters and validators.
public protocol AdmissionRule: Sendable {
    /// Stable name used in logs, metrics, annotations and config.
    var name: String { get }
    var match: RuleMatch { get }
    var failurePolicy: FailurePolicy { get }
}

extension AdmissionRule {
    public var failurePolicy: FailurePolicy { .ignore }
}

/// A defaulter's answer: either patch operations against the object it was given,
/// or the whole modified object (the framework diffs it), plus warnings.
public struct Defaulting: Sendable {
    public enum Change: Sendable {
        case none
        case patch([PatchOperation])
        case object(JSONValue)
    }
    public var change: Change
    public var warnings: [String]
    public var auditAnnotations: [String: String]

    public init(change: Change = .none, warnings: [String] = [], auditAnnotations: [String: String] = [:]) {
        self.change = change; self.warnings = warnings; self.auditAnnotations = auditAnnotations
    }
    public static let unchanged = Defaulting()
}

/// Mutating rule. `object` is the object as it stands after earlier defaulters ran.
public protocol Defaulter: AdmissionRule {
    func `default`(_ request: AdmissionRequest, object: JSONValue) async throws -> Defaulting
}

/// One field error, reported as a `details.causes` entry.
public struct Violation: Sendable, Hashable {
    /// Kubernetes cause reason, e.g. `FieldValueInvalid`, `FieldValueRequired`, `FieldValueNotSupported`.
    public var reason: String
    /// Kubernetes field path, e.g. `spec.resourcePolicy.containerPolicies[0].maxAllowed.cpu`.
    public var field: String
    public var message: String

    public init(field: String, message: String, reason: String = "FieldValueInvalid") {
        self.field = field; self.message = message; self.reason = reason
    }
}

public struct Validation: Sendable {
    public var violations: [Violation]
    public var warnings: [String]
    public init(violations: [Violation] = [], warnings: [String] = []) {
        self.violations = violations; self.warnings = warnings
    }
    public static let valid = Validation()
}

/// Validating rule; create/update/delete are separate so each can be left valid by default.
public protocol Validator: AdmissionRule {
    func validateCreate(_ request: AdmissionRequest, object: JSONValue) async throws -> Validation
    func validateUpdate(_ request: AdmissionRequest, object: JSONValue, oldObject: JSONValue) async throws -> Validation
    func validateDelete(_ request: AdmissionRequest, oldObject: JSONValue?) async throws -> Validation
}

extension Validator {
    public func validateCreate(_ request: AdmissionRequest, object: JSONValue) async throws -> Validation { .valid }
    public func validateUpdate(_ request: AdmissionRequest, object: JSONValue, oldObject: JSONValue) async throws -> Validation { .valid }
    public func validateDelete(_ request: AdmissionRequest, oldObject: JSONValue?) async throws -> Validation { .valid }
}
