@testable import BuiltinRules
import JSON
import MPA
import Quantity
import Testing

private func q(_ s: String) -> Quantity {
    (try? Quantity(parsing: s)) ?? Quantity(value: -999_999, format: .decimalSI)
}

@Suite struct PodResourcePlannerTests {
    func range(_ name: String, _ type: String, _ fields: [String: [String: String]]) throws -> LimitRange {
        var item = JSONObject()
        item["type"] = .string(type)
        for (k, v) in fields {
            item[k] = .object(JSONObject(v.map { (key: $0.key, value: JSONValue.string($0.value)) }))
        }
        return try LimitRange(json: ["metadata": ["name": .string(name), "namespace": "default"],
                                     "spec": ["limits": [.object(item)]]])
    }

    /// Merged LimitRanges do not depend on the order they are listed in.
    @Test func limitRangeMergeIsOrderIndependent() throws {
        let a = try range("a", "Container", ["max": ["cpu": "800m", "memory": "1Gi"], "min": ["cpu": "20m"],
                                             "default": ["cpu": "600m"], "maxLimitRequestRatio": ["cpu": "3"]])
        let b = try range("b", "Container", ["max": ["cpu": "2"], "min": ["cpu": "100m", "memory": "8Mi"],
                                             "default": ["cpu": "1", "memory": "256Mi"], "maxLimitRequestRatio": ["cpu": "2"]])
        let c = try range("c", "Pod", ["max": ["cpu": "4"]])
        let merged = NamespaceLimits([a, b, c])
        #expect(NamespaceLimits([c, b, a]) == merged)
        #expect(NamespaceLimits([b, c, a]) == merged)
        let container = try #require(merged.container)
        #expect(container.max == ["cpu": q("800m"), "memory": q("1Gi")])
        #expect(container.min == ["cpu": q("100m"), "memory": q("8Mi")])
        #expect(container.defaultLimit == ["cpu": q("600m"), "memory": q("256Mi")])
        #expect(container.maxLimitRequestRatio == ["cpu": q("2")])
        #expect(merged.pod?.max == ["cpu": q("4")])
        #expect(NamespaceLimits([]) == NamespaceLimits())
    }

    func container(_ name: String, _ kind: PodContainer.Kind = .container, index: Int = 0,
                   requests: QuantityMap = [:], limits: QuantityMap = [:]) -> PodContainer {
        PodContainer(kind: kind, index: index, name: name, requests: requests, limits: limits,
                     hasResources: true, hasRequests: !requests.isEmpty, hasLimits: !limits.isEmpty)
    }

    /// Only spec.containers are summed for the pod LimitRange; sidecars are planned after.
    @Test func podLimitRangeIgnoresSidecars() {
        let planner = PodResourcePlanner(
            policies: [], recommendations: ["app": ["cpu": q("200m")], "proxy": ["cpu": q("5")]],
            limits: NamespaceLimits(pod: LimitRangeBounds(min: ["cpu": q("400m")])))
        let plans = planner.plan(containers: [container("app", requests: ["cpu": q("100m")], limits: ["cpu": q("100m")])],
                                 sidecars: [container("proxy", .sidecar, index: 1, requests: ["cpu": q("100m")])])
        #expect(plans.count == 2)
        #expect(plans[0].requests.map(\.value) == [q("400m")])
        #expect(plans[0].limits.map(\.value) == [q("400m")])
        #expect(plans[0].notes == ["cpu scaled up to fit Min in pod LimitRange"])
        #expect(plans[1].container.label == "initContainer 1")
        #expect(plans[1].requests.map(\.value) == [q("5")])
        #expect(plans[1].notes.isEmpty)
    }

    /// A pod LimitRange with a zero sum of proportional limits changes nothing.
    @Test func podLimitRangeWithoutLimitsChangesNothing() {
        let planner = PodResourcePlanner(
            policies: [], recommendations: ["app": ["cpu": q("200m")]],
            limits: NamespaceLimits(pod: LimitRangeBounds(min: ["cpu": q("1")], max: ["cpu": q("100m")])))
        let plans = planner.plan(containers: [container("app", requests: ["cpu": q("100m")])], sidecars: [])
        #expect(plans.first?.requests.map(\.value) == [q("200m")])
        #expect(plans.first?.notes == [])
    }

    /// The policy filter: mode Off drops the container, controlledResources picks resources,
    /// the container's own entry wins over "*", and the first recommendation for a name counts.
    @Test func effectiveRecommendation() throws {
        let mpa = try MultidimPodAutoscaler(json: [
            "metadata": ["name": "m", "namespace": "default"],
            "spec": ["resourcePolicy": ["containerPolicies": [
                ["containerName": "*", "controlledResources": ["memory"]],
                ["containerName": "off", "mode": "Off"],
                ["containerName": "own"],
            ]]],
            "status": ["recommendation": ["containerRecommendations": [
                ["containerName": "star", "target": ["cpu": "1", "memory": "1Gi"]],
                ["containerName": "off", "target": ["cpu": "1"]],
                ["containerName": "own", "target": ["cpu": "2"]],
                ["containerName": "own", "target": ["cpu": "3"]],
                ["containerName": "cpuonly", "target": ["cpu": "3"]],
            ]]],
        ])
        let planner = PodResourcePlanner(mpa: mpa, limits: NamespaceLimits())
        #expect(planner.effectiveRecommendation(for: container("star")) == ["memory": q("1Gi")])
        #expect(planner.effectiveRecommendation(for: container("off")) == nil)
        #expect(planner.effectiveRecommendation(for: container("own")) == ["cpu": q("2")])
        #expect(planner.effectiveRecommendation(for: container("cpuonly")) == nil)
        #expect(planner.effectiveRecommendation(for: container("none")) == nil)
    }
}
