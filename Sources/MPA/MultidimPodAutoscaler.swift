import JSON
import Quantity

/// A `MultidimPodAutoscaler` (`autoscaling.k8s.io/v1alpha1`), the fields the rules read.
///
/// Decoding is strict about shape (a string where an object belongs, an unknown `updateMode`,
/// `mode` or `controlledValues` is an error naming its field path), except for quantities:
/// a quantity that does not parse drops the map it is in and is recorded in `problems`, so the
/// pod rule can still find this MPA and answer "allowed, no patch, warning" (§2, §5 Errors)
/// instead of silently ignoring it.
public struct MultidimPodAutoscaler: Sendable, Hashable {
    public static let apiVersion = "autoscaling.k8s.io/v1alpha1"
    public static let group = "autoscaling.k8s.io"
    public static let kind = "MultidimPodAutoscaler"
    public static let resource = "multidimpodautoscalers"

    public var metadata: ObjectMeta
    public var name: String { metadata.name }
    public var namespace: String { metadata.namespace }
    public var creationTimestamp: Timestamp? { metadata.creationTimestamp }

    public var scaleTargetRef: ScaleTargetReference?
    /// `spec.policy.updateMode`; nil when unset (which means `Auto`).
    public var updateMode: UpdateMode?
    public var effectiveUpdateMode: UpdateMode { updateMode ?? .auto }
    public var constraints: Constraints?
    public var resourcePolicy: ResourcePolicy?
    /// `spec.recommenders[].name`.
    public var recommenders: [String]
    /// `status.recommendation`; nil when the recommender has not written one.
    public var recommendation: Recommendation? {
        didSet { recommendedTargets = Self.targets(of: recommendation) }
    }
    /// Container name → the `target` of its first recommendation, indexed once with the MPA
    /// (a pod request looks its containers up instead of re-indexing the list).
    public private(set) var recommendedTargets: [String: [String: Quantity]] = [:]
    /// Quantities that did not parse (their maps are left out above).
    public var problems: [ObjectDecodeError]
    /// The object as it was read.
    public var json: JSONValue

    public init(json: JSONValue) throws(ObjectDecodeError) {
        let root = try FieldReader(json, path: "")
        self.json = json
        metadata = try root.reader("metadata").map { m throws(ObjectDecodeError) in try ObjectMeta(m) } ?? ObjectMeta()
        guard !metadata.name.isEmpty else { throw ObjectDecodeError(path: "metadata.name", "is required") }
        var problems: [ObjectDecodeError] = []
        let spec = try root.reader("spec")
        scaleTargetRef = try spec?.reader("scaleTargetRef").map { r throws(ObjectDecodeError) in try ScaleTargetReference(r) }
        if let policy = try spec?.reader("policy"), let mode = try policy.string("updateMode") {
            guard let m = UpdateMode(rawValue: mode) else {
                throw ObjectDecodeError(path: policy.childPath("updateMode"),
                                        "unsupported value \"\(mode)\" (Off, Initial, Recreate, Auto)")
            }
            updateMode = m
        }
        constraints = try spec?.reader("constraints").map { r throws(ObjectDecodeError) in try Constraints(r, &problems) }
        resourcePolicy = try spec?.reader("resourcePolicy").map { r throws(ObjectDecodeError) in try ResourcePolicy(r, &problems) }
        recommenders = try spec?.readers("recommenders").map { r throws(ObjectDecodeError) in try r.requiredString("name") } ?? []
        if let rec = try root.reader("status")?.reader("recommendation") {
            recommendation = try Recommendation(rec, &problems)
        }
        self.problems = problems
        recommendedTargets = Self.targets(of: recommendation)
    }

    static func targets(of recommendation: Recommendation?) -> [String: [String: Quantity]] {
        guard let list = recommendation?.containerRecommendations, !list.isEmpty else { return [:] }
        var out: [String: [String: Quantity]] = [:]
        out.reserveCapacity(list.count)
        for r in list where out[r.containerName] == nil { out[r.containerName] = r.target.quantities }
        return out
    }

    /// The target's key in this MPA's namespace.
    public var targetKey: ObjectKey? {
        scaleTargetRef.map { ObjectKey(apiVersion: $0.apiVersion, kind: $0.kind, namespace: namespace, name: $0.name) }
    }

    /// Oldest `creationTimestamp` first (absent sorts last), ties by name (§2.1.5).
    public static func olderFirst(_ a: MultidimPodAutoscaler, _ b: MultidimPodAutoscaler) -> Bool {
        switch (a.creationTimestamp, b.creationTimestamp) {
        case let (x?, y?) where x != y: return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        default: return a.name < b.name
        }
    }
}

/// `spec.scaleTargetRef` (a `CrossVersionObjectReference`).
public struct ScaleTargetReference: Sendable, Hashable {
    public var apiVersion: String
    public var kind: String
    public var name: String
    public var group: String { ObjectKey.group(ofAPIVersion: apiVersion) }

    public init(apiVersion: String, kind: String, name: String) {
        self.apiVersion = apiVersion; self.kind = kind; self.name = name
    }

    init(_ r: FieldReader) throws(ObjectDecodeError) {
        apiVersion = try r.string("apiVersion") ?? ""
        kind = try r.string("kind") ?? ""
        name = try r.string("name") ?? ""
    }
}

public enum UpdateMode: String, Sendable, Hashable, CaseIterable {
    case off = "Off", initial = "Initial", recreate = "Recreate", auto = "Auto"
}

/// A container policy's `mode`.
public enum ContainerScalingMode: String, Sendable, Hashable, CaseIterable {
    case auto = "Auto", off = "Off"
}

public enum ControlledValues: String, Sendable, Hashable, CaseIterable {
    case requestsAndLimits = "RequestsAndLimits", requestsOnly = "RequestsOnly"
}

/// `spec.constraints`.
public struct Constraints: Sendable, Hashable {
    public var minReplicas: Int64?
    public var maxReplicas: Int64?
    public var containerControlledResources: [String]?
    public var containers: [ContainerConstraint]

    init(_ r: FieldReader, _ problems: inout [ObjectDecodeError]) throws(ObjectDecodeError) {
        let global = try r.reader("global")
        minReplicas = try global?.int("minReplicas")
        maxReplicas = try global?.int("maxReplicas")
        containerControlledResources = try r.strings("containerControlledResources")
        var out: [ContainerConstraint] = []
        for c in try r.readers("container") {
            let requests = try c.reader("requests")
            out.append(ContainerConstraint(name: try c.string("name") ?? "",
                                           mode: try decodeEnum(c, "mode"),
                                           minAllowed: lenientResources(requests, "minAllowed", &problems),
                                           maxAllowed: lenientResources(requests, "maxAllowed", &problems)))
        }
        containers = out
    }
}

public struct ContainerConstraint: Sendable, Hashable {
    public var name: String
    public var mode: ContainerScalingMode?
    public var minAllowed: ResourceList
    public var maxAllowed: ResourceList
}

/// `spec.resourcePolicy`.
public struct ResourcePolicy: Sendable, Hashable {
    public var containerPolicies: [ContainerResourcePolicy]

    public init(containerPolicies: [ContainerResourcePolicy]) { self.containerPolicies = containerPolicies }

    init(_ r: FieldReader, _ problems: inout [ObjectDecodeError]) throws(ObjectDecodeError) {
        var out: [ContainerResourcePolicy] = []
        for p in try r.readers("containerPolicies") {
            out.append(ContainerResourcePolicy(
                containerName: try p.string("containerName") ?? "",
                mode: try decodeEnum(p, "mode"),
                minAllowed: lenientResources(p, "minAllowed", &problems),
                maxAllowed: lenientResources(p, "maxAllowed", &problems),
                controlledResources: try p.strings("controlledResources"),
                controlledValues: try decodeEnum(p, "controlledValues")))
        }
        containerPolicies = out
    }

    /// The policy for `containerName`: its own entry, else the `*` entry (§2.2.3).
    public func policy(forContainer containerName: String) -> ContainerResourcePolicy? {
        containerPolicies.first { $0.containerName == containerName }
            ?? containerPolicies.first { $0.containerName == ContainerResourcePolicy.defaultContainerName }
    }
}

public struct ContainerResourcePolicy: Sendable, Hashable {
    public static let defaultContainerName = "*"
    public var containerName: String
    public var mode: ContainerScalingMode?
    public var minAllowed: ResourceList
    public var maxAllowed: ResourceList
    /// nil = default (cpu and memory).
    public var controlledResources: [String]?
    /// nil = default (RequestsAndLimits).
    public var controlledValues: ControlledValues?

    public init(containerName: String, mode: ContainerScalingMode? = nil, minAllowed: ResourceList = ResourceList(),
                maxAllowed: ResourceList = ResourceList(), controlledResources: [String]? = nil,
                controlledValues: ControlledValues? = nil) {
        self.containerName = containerName; self.mode = mode; self.minAllowed = minAllowed; self.maxAllowed = maxAllowed
        self.controlledResources = controlledResources; self.controlledValues = controlledValues
    }

    public var effectiveControlledResources: [String] { controlledResources ?? ["cpu", "memory"] }
    public var effectiveControlledValues: ControlledValues { controlledValues ?? .requestsAndLimits }
}

/// `status.recommendation`.
public struct Recommendation: Sendable, Hashable {
    public var containerRecommendations: [ContainerRecommendation]

    public init(containerRecommendations: [ContainerRecommendation]) { self.containerRecommendations = containerRecommendations }

    init(_ r: FieldReader, _ problems: inout [ObjectDecodeError]) throws(ObjectDecodeError) {
        var out: [ContainerRecommendation] = []
        for c in try r.readers("containerRecommendations") {
            out.append(ContainerRecommendation(
                containerName: try c.string("containerName") ?? "",
                target: lenientResources(c, "target", &problems),
                lowerBound: lenientResources(c, "lowerBound", &problems),
                upperBound: lenientResources(c, "upperBound", &problems),
                uncappedTarget: lenientResources(c, "uncappedTarget", &problems)))
        }
        containerRecommendations = out
    }

    public func recommendation(forContainer name: String) -> ContainerRecommendation? {
        containerRecommendations.first { $0.containerName == name }
    }
}

public struct ContainerRecommendation: Sendable, Hashable {
    public var containerName: String
    public var target: ResourceList
    public var lowerBound: ResourceList
    public var upperBound: ResourceList
    public var uncappedTarget: ResourceList

    public init(containerName: String, target: ResourceList, lowerBound: ResourceList = ResourceList(),
                upperBound: ResourceList = ResourceList(), uncappedTarget: ResourceList = ResourceList()) {
        self.containerName = containerName; self.target = target; self.lowerBound = lowerBound
        self.upperBound = upperBound; self.uncappedTarget = uncappedTarget
    }
}

/// A string enum member; unknown values are an error naming the field and the allowed values.
func decodeEnum<E: RawRepresentable & CaseIterable>(_ r: FieldReader, _ key: String) throws(ObjectDecodeError) -> E?
where E.RawValue == String {
    guard let text = try r.string(key) else { return nil }
    guard let v = E(rawValue: text) else {
        let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
        throw ObjectDecodeError(path: r.childPath(key), "unsupported value \"\(text)\" (\(allowed))")
    }
    return v
}

/// A resource map whose bad quantities are recorded as problems (the map reads as empty).
func lenientResources(_ r: FieldReader?, _ key: String, _ problems: inout [ObjectDecodeError]) -> ResourceList {
    guard let r else { return ResourceList() }
    do {
        return try r.resourceList(key) ?? ResourceList()
    } catch {
        problems.append(error)
        return ResourceList()
    }
}
