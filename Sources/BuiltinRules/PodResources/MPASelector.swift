import AdmissionAPI
import JSON
import MPA

/// Which MPA applies to a pod (spec §2.1): candidates targeting the pod's top controller
/// (kind, name and API group), not in mode Off, whose target's selector matches the pod's
/// labels; the oldest wins, ties by name.
enum MPASelector {
    /// The pod selector of a controller, or nil when it cannot be found.
    enum PodSelector: Sendable {
        case structured(LabelSelector)
        case text(TextLabelSelector)

        func matches(_ labels: [String: String]) -> Bool {
            switch self {
            case .structured(let s): s.matches(labels)
            case .text(let s): s.matches(labels)
            }
        }
    }

    struct SelectorError: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    /// `spec.selector` of the well-known workloads; for CronJob the job template's pod labels,
    /// for ReplicationController its selector map; for anything else the `scale` status selector.
    static func podSelector(of target: ObjectKey, state: any ClusterState) async throws -> PodSelector? {
        guard let kind = WellKnownController(kind: target.kind, group: target.group) else {
            guard let text = try await state.scaleSelector(target) else { return nil }
            do throws(TextLabelSelector.ParseError) {
                return .text(try TextLabelSelector(parsing: text))
            } catch {
                throw SelectorError(description: "\(target): scale selector: \(error.description)")
            }
        }
        guard let object = try await state.object(target) else { return nil }
        let spec = object["spec"]
        let selector: JSONValue?
        switch kind {
        case .cronJob:
            selector = asMatchLabels(spec?["jobTemplate"]?["spec"]?["template"]?["metadata"]?["labels"])
        case .replicationController:
            selector = asMatchLabels(spec?["selector"])
        case .deployment, .replicaSet, .statefulSet, .daemonSet, .job:
            selector = spec?["selector"]
        }
        guard let selector, !selector.isNull else { return nil }
        // A selector the apiserver would not have accepted selects nothing (the candidate is dropped).
        return (try? LabelSelector(json: selector)).map(PodSelector.structured)
    }

    private static func asMatchLabels(_ labels: JSONValue?) -> JSONValue? {
        guard let labels, case .object = labels else { return nil }
        return ["matchLabels": labels]
    }

    /// The oldest (then smallest-named) candidate that is not Off, has a target, and whose
    /// target selector matches `labels`. `selector` nil: no candidate applies.
    static func choose(_ candidates: [MultidimPodAutoscaler], selector: PodSelector?,
                       labels: [String: String]) -> MultidimPodAutoscaler? {
        guard let selector, selector.matches(labels) else { return nil }
        var best: MultidimPodAutoscaler?
        for m in candidates where m.scaleTargetRef != nil && m.effectiveUpdateMode != .off {
            if let b = best, !MultidimPodAutoscaler.olderFirst(m, b) { continue }
            best = m
        }
        return best
    }
}
