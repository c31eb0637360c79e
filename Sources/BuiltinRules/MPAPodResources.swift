import AdmissionAPI
import AdmissionRules
import JSON
import JSONPatch
import Logging
import MPA

/// Pod defaulting (spec §2): on pod CREATE, sets container requests and limits from the
/// recommendation of the MPA that targets the pod's controller, capped by the namespace's
/// LimitRanges and the MPA's resource policy, and records what it did in the
/// `mpaUpdates` and `mpaObservedContainers` annotations.
///
/// Never blocks a pod: an unsynced cluster state, an owner cycle or a bad quantity in the
/// chosen MPA give a warning and no patch; no controller, no MPA, mode Off or no
/// recommendation give no patch.
public struct MPAPodResources: Defaulter {
    public static let typeName = "mpaPodResources"
    public static let summary = "pod CREATE: container resources from the MPA recommendation (spec §2)"
    static let warningPrefix = "MPA resource recommendation not applied: "

    public let name: String
    public let state: any ClusterState
    public let match = RuleMatch(resources: [RuleMatch.Resource(group: "", version: "v1", resource: "pods")],
                                 operations: [.create])

    let logger = Logger(label: "mpa-admission.rule.\(MPAPodResources.typeName)")

    public init(state: any ClusterState, name: String = MPAPodResources.typeName) {
        self.state = state
        self.name = name
    }

    /// The registry factory: no parameters.
    public init(parameters: JSONValue, state: any ClusterState) throws(ConfigurationError) {
        _ = try ParameterReader(parameters, allowedKeys: [])
        self.init(state: state)
    }

    public func `default`(_ request: AdmissionRequest, object: JSONValue) async throws -> Defaulting {
        // Pod resources are set at creation only, even if a configuration matches more.
        guard request.operation == .create else { return .unchanged }
        let pod = PodIdentity(request: request, object: object)
        guard state.isSynced else {
            logger.warning("cluster state not synced yet: pod \(pod) admitted without MPA resources")
            return Defaulting(warnings: [Self.warningPrefix + "cluster state is not synced yet"])
        }
        do {
            guard let ops = try await patch(for: object, pod: pod) else { return .unchanged }
            return Defaulting(change: .patch(ops))
        } catch {
            let reason = String(describing: error)
            logger.warning("pod \(pod): MPA resource recommendation not applied: \(reason)")
            return Defaulting(warnings: [Self.warningPrefix + reason])
        }
    }

    /// The patch for the pod, nil when no MPA applies (§2.1) or it has no recommendation.
    func patch(for object: JSONValue, pod: PodIdentity) async throws -> [PatchOperation]? {
        let metadata = object["metadata"]
        guard let owner = OwnerChain.controllerReference(of: object) else { return nil }
        let top: ObjectKey
        switch try await OwnerChain.topController(from: owner, namespace: pod.namespace, state: state) {
        case .top(let key): top = key
        case .none: return nil
        case .missing(let key):
            logger.info("pod \(pod): controller \(key) not found, no MPA applies")
            return nil
        }
        let candidates = try await state.multidimPodAutoscalers(namespace: pod.namespace, targetGroup: top.group,
                                                                targetKind: top.kind, targetName: top.name)
        guard !candidates.isEmpty else { return nil }
        let selector = try await MPASelector.podSelector(of: top, state: state)
        let labels = RuleMatch.labels(of: object)
        guard let mpa = MPASelector.choose(candidates, selector: selector, labels: labels),
              mpa.recommendation != nil else { return nil }
        if let problem = mpa.problems.first {
            throw PodResourcesError("MPA \(pod.namespace)/\(mpa.name): \(problem)")
        }
        let annotations = metadata?["annotations"]
        let hasAnnotations: Bool
        switch annotations {
        case nil, .null?: hasAnnotations = false
        case .object?: hasAnnotations = true
        case let other?: throw PodResourcesError("metadata.annotations is a \(other.typeName), not an object")
        }
        let limits = try await state.namespaceLimits(namespace: pod.namespace)
        let planner = PodResourcePlanner(mpa: mpa, limits: limits)
        // Quantities are parsed only where the rule uses them: containers with a recommendation,
        // or every container when a pod LimitRange sums them.
        let sumsAll = limits.pod != nil
        let (containers, sidecars) = try PodContainer.read(pod: object) { name in
            sumsAll || planner.recommendations[name] != nil
        }
        let plans = planner.plan(containers: containers, sidecars: sidecars)
        return PodPatchBuilder.operations(plans: plans, mpaName: mpa.name, observedContainers: containers,
                                          podHasAnnotations: hasAnnotations)
    }
}

/// How a pod is named in logs and warnings: `namespace/name`, or `namespace/<generateName>%`
/// before the apiserver has generated its name (§2.1.6). The namespace is the request's.
struct PodIdentity: Sendable, CustomStringConvertible {
    var namespace: String
    /// `metadata.name`, else the request's name; empty before the apiserver has generated one.
    var givenName: String
    var generateName: String
    /// Built only when a log line or warning names the pod.
    var name: String { givenName.isEmpty ? generateName + "%" : givenName }

    init(request: AdmissionRequest, object: JSONValue) {
        let metadata = object["metadata"]
        namespace = request.namespace.isEmpty ? (metadata?["namespace"]?.stringValue ?? "") : request.namespace
        generateName = ""
        if let n = metadata?["name"]?.stringValue, !n.isEmpty {
            givenName = n
        } else if !request.name.isEmpty {
            givenName = request.name
        } else {
            givenName = ""
            generateName = metadata?["generateName"]?.stringValue ?? ""
        }
    }

    var description: String { "\(namespace)/\(name)" }
}
