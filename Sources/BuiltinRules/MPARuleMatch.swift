import AdmissionAPI
import AdmissionRules
import MPA

/// What the MPA object rules apply to: `multidimpodautoscalers` CREATE and UPDATE.
enum MPARuleMatch {
    static let mpaCreateUpdate = RuleMatch(
        resources: [RuleMatch.Resource(group: MultidimPodAutoscaler.group, version: "*",
                                       resource: MultidimPodAutoscaler.resource)],
        operations: [.create, .update])
}
