import AdmissionAPI
import AdmissionRules
import BuiltinRules
import JSON
import Testing

/// §4 MPA validation: one row per rule, each through the real engine on /validate; the
/// causes (field, reason, message) must be exactly the expected ones, in order.
struct MPAValidationRuleTests {
    struct Cause: Hashable, Sendable, CustomStringConvertible {
        var field: String
        var reason: String
        var message: String
        var description: String { "\(field) [\(reason)] \(message)" }
    }

    struct Row: CustomStringConvertible, Sendable {
        var name: String
        var object: JSONValue
        var operation: AdmissionOperation = .create
        var causes: [Cause]
        var description: String { name }
    }

    static func required(_ f: String, _ detail: String? = nil) -> Cause {
        Cause(field: f, reason: "FieldValueRequired", message: detail.map { "Required value: \($0)" } ?? "Required value")
    }
    static func invalid(_ f: String, _ m: String) -> Cause { Cause(field: f, reason: "FieldValueInvalid", message: "Invalid value: " + m) }
    static func type(_ f: String, _ m: String) -> Cause { Cause(field: f, reason: "FieldValueTypeInvalid", message: "Invalid value: " + m) }
    static func unsupported(_ f: String, _ v: String, _ s: String) -> Cause {
        Cause(field: f, reason: "FieldValueNotSupported", message: "Unsupported value: \"\(v)\": supported values: \(s)")
    }

    static let cp = "spec.resourcePolicy.containerPolicies[0]"
    static let cpPath = ["spec", "resourcePolicy", "containerPolicies", "0"]
    static let modes = #""Off", "Initial", "Recreate", "Auto""#
    static let containerModes = #""Auto", "Off""#
    static let resources = #""cpu", "memory""#
    static func policy(_ key: String, _ value: JSONValue?) -> JSONValue { baseMPA.setting(cpPath + [key], value) }
    static func global(_ key: String, _ value: JSONValue?) -> JSONValue { baseMPA.setting(["spec", "constraints", "global", key], value) }
    static let containerConstraint: JSONValue = ["name": "hamster", "mode": "Auto",
                                                 "requests": ["minAllowed": ["cpu": "100m"], "maxAllowed": ["cpu": "2"]]]
    static func metric(_ m: JSONValue) -> JSONValue { baseMPA.setting(["spec", "goals", "metrics"], [m]) }

    static let rows: [Row] = [
        Row(name: "valid MPA", object: baseMPA, causes: []),
        // scaleTargetRef
        Row(name: "CREATE needs scaleTargetRef", object: baseMPA.setting(["spec", "scaleTargetRef"], nil),
            causes: [required("spec.scaleTargetRef")]),
        Row(name: "CREATE without spec", object: baseMPA.setting(["spec"], nil), causes: [required("spec.scaleTargetRef")]),
        Row(name: "spec not an object", object: baseMPA.setting(["spec"], "x"), causes: [type("spec", #""x": must be an object"#)]),
        Row(name: "scaleTargetRef needs kind and name", object: baseMPA.setting(["spec", "scaleTargetRef"], ["apiVersion": "apps/v1"]),
            causes: [required("spec.scaleTargetRef.kind"), required("spec.scaleTargetRef.name")]),
        Row(name: "empty kind is missing", object: baseMPA.setting(["spec", "scaleTargetRef", "kind"], ""),
            causes: [required("spec.scaleTargetRef.kind")]),
        Row(name: "scaleTargetRef not an object", object: baseMPA.setting(["spec", "scaleTargetRef"], "Deployment/hamster"),
            causes: [type("spec.scaleTargetRef", #""Deployment/hamster": must be an object"#)]),
        Row(name: "UPDATE may omit scaleTargetRef", object: baseMPA.setting(["spec", "scaleTargetRef"], nil), operation: .update, causes: []),
        Row(name: "UPDATE scaleTargetRef still needs name", object: baseMPA.setting(["spec", "scaleTargetRef", "name"], nil),
            operation: .update, causes: [required("spec.scaleTargetRef.name")]),
        // policy
        Row(name: "policy needs updateMode", object: baseMPA.setting(["spec", "policy"], [:]), causes: [required("spec.policy.updateMode")]),
        Row(name: "unknown updateMode", object: baseMPA.setting(["spec", "policy", "updateMode"], "Sometimes"),
            causes: [unsupported("spec.policy.updateMode", "Sometimes", modes)]),
        Row(name: "updateMode is case-sensitive", object: baseMPA.setting(["spec", "policy", "updateMode"], "auto"),
            causes: [unsupported("spec.policy.updateMode", "auto", modes)]),
        Row(name: "absent policy is fine", object: baseMPA.setting(["spec", "policy"], nil), causes: []),
        Row(name: "every mode accepted", object: baseMPA.setting(["spec", "policy", "updateMode"], "Recreate"), causes: []),
        // constraints.global
        Row(name: "minReplicas 0", object: global("minReplicas", 0),
            causes: [invalid("spec.constraints.global.minReplicas", "0: must be greater than 0")]),
        Row(name: "maxReplicas required (fix)", object: global("maxReplicas", nil), causes: [required("spec.constraints.global.maxReplicas")]),
        Row(name: "maxReplicas > 0 (fix)", object: global("maxReplicas", -1),
            causes: [invalid("spec.constraints.global.maxReplicas", "-1: must be greater than 0")]),
        Row(name: "min <= max (fix)", object: global("minReplicas", 5).setting(["spec", "constraints", "global", "maxReplicas"], 3),
            causes: [invalid("spec.constraints.global", "minReplicas 5 > maxReplicas 3")]),
        Row(name: "min == max is fine", object: global("minReplicas", 6), causes: []),
        Row(name: "minReplicas must be an integer", object: global("minReplicas", "2"),
            causes: [type("spec.constraints.global.minReplicas", #""2": must be an integer"#)]),
        Row(name: "maxReplicas 1.5", object: global("maxReplicas", .number(JSONNumber(parsing: "1.5") ?? JSONNumber(0))),
            causes: [type("spec.constraints.global.maxReplicas", "1.5: must be an integer")]),
        // containerPolicies
        Row(name: "containerName required", object: policy("containerName", nil), causes: [required(cp + ".containerName")]),
        Row(name: "containerName empty", object: policy("containerName", ""), causes: [required(cp + ".containerName")]),
        Row(name: "mode Auto|Off", object: policy("mode", "Maybe"), causes: [unsupported(cp + ".mode", "Maybe", containerModes)]),
        Row(name: "controlledValues values", object: policy("controlledValues", "Limits"),
            causes: [unsupported(cp + ".controlledValues", "Limits", #""RequestsAndLimits", "RequestsOnly""#)]),
        Row(name: "controlledValues not with mode Off", object: policy("mode", "Off").setting(cpPath + ["controlledValues"], "RequestsOnly"),
            causes: [invalid(cp + ".controlledValues", #""RequestsOnly": must not be set when mode is Off"#)]),
        Row(name: "controlledValues with mode Auto", object: policy("mode", "Auto").setting(cpPath + ["controlledValues"], "RequestsOnly"),
            causes: []),
        Row(name: "controlledResources subset of cpu, memory", object: policy("controlledResources", ["cpu", "gpu", 3]),
            causes: [unsupported(cp + ".controlledResources[1]", "gpu", resources), type(cp + ".controlledResources[2]", "3: must be a string")]),
        Row(name: "CPU in whole milli-CPUs", object: policy("minAllowed", ["cpu": "0.5m"]),
            causes: [invalid(cp + ".minAllowed.cpu", #""0.5m": must be a whole number of milli-CPUs"#)]),
        Row(name: "memory in whole bytes", object: policy("maxAllowed", ["memory": "1.5"]),
            causes: [invalid(cp + ".maxAllowed.memory", #""1.5": must be a whole number of bytes"#)]),
        Row(name: "memory 0.5Gi is whole bytes", object: policy("maxAllowed", ["memory": "0.5Gi"]), causes: []),
        Row(name: "max below min", object: policy("maxAllowed", ["cpu": "50m", "memory": "40Mi"]),
            causes: [invalid(cp + ".maxAllowed.cpu", #""50m": must be greater than or equal to minAllowed.cpu (100m)"#),
                     invalid(cp + ".maxAllowed.memory", #""40Mi": must be greater than or equal to minAllowed.memory (50Mi)"#)]),
        Row(name: "compared only when both are valid", object: policy("minAllowed", ["cpu": "0.1m", "memory": "junk"]).setting(cpPath + ["maxAllowed", "cpu"], "0"),
            causes: [invalid(cp + ".minAllowed.cpu", #""0.1m": must be a whole number of milli-CPUs"#),
                     invalid(cp + ".minAllowed.memory", #""junk": must be a quantity (e.g. 100m, 128Mi)"#)]),
        Row(name: "numbers are quantities", object: policy("minAllowed", ["cpu": .number(JSONNumber(parsing: "0.5") ?? JSONNumber(0)), "memory": 1048576]), causes: []),
        Row(name: "policies must be a list", object: baseMPA.setting(["spec", "resourcePolicy", "containerPolicies"], [:]),
            causes: [type("spec.resourcePolicy.containerPolicies", "{}: must be a list")]),
        // constraints.container (fix)
        Row(name: "container constraint valid", object: baseMPA.setting(["spec", "constraints", "container"], [containerConstraint]), causes: []),
        Row(name: "container constraint checks (fix)", object: baseMPA.setting(["spec", "constraints", "container"], [
            ["mode": "Sometimes", "requests": ["minAllowed": ["cpu": "2", "memory": "1.5"], "maxAllowed": ["cpu": "1"]]]]),
            causes: [required("spec.constraints.container[0].name"),
                     unsupported("spec.constraints.container[0].mode", "Sometimes", containerModes),
                     invalid("spec.constraints.container[0].requests.minAllowed.memory", #""1.5": must be a whole number of bytes"#),
                     invalid("spec.constraints.container[0].requests.maxAllowed.cpu", #""1": must be greater than or equal to minAllowed.cpu (2)"#)]),
        Row(name: "containerControlledResources", object: baseMPA.setting(["spec", "constraints", "containerControlledResources"], ["memory", "disk"]),
            causes: [unsupported("spec.constraints.containerControlledResources[1]", "disk", resources)]),
        // goals.metrics (fix)
        Row(name: "metric type required", object: metric(["resource": ["name": "cpu"]]), causes: [required("spec.goals.metrics[0].type")]),
        Row(name: "metric type values", object: metric(["type": "Bogus"]),
            causes: [unsupported("spec.goals.metrics[0].type", "Bogus", #""Resource", "Pods", "Object", "External", "ContainerResource""#)]),
        Row(name: "metric member must match type", object: metric(["type": "Pods", "resource": ["name": "cpu"]]),
            causes: [required("spec.goals.metrics[0].pods", "must be set when type is Pods")]),
        Row(name: "ContainerResource metric", object: metric(["type": "ContainerResource", "containerResource": ["name": "cpu", "container": "app"]]),
            causes: []),
        Row(name: "External metric member must be an object", object: metric(["type": "External", "external": "x"]),
            causes: [type("spec.goals.metrics[0].external", #""x": must be an object"#)]),
        // recommenders
        Row(name: "one recommender", object: baseMPA.setting(["spec", "recommenders"], [["name": "a"]]), causes: []),
        Row(name: "at most one recommender", object: baseMPA.setting(["spec", "recommenders"], [["name": "a"], ["name": "b"]]),
            causes: [Cause(field: "spec.recommenders", reason: "FieldValueTooMany", message: "Too many: 2: must have at most 1 items")]),
        Row(name: "recommender name", object: baseMPA.setting(["spec", "recommenders"], [[:]]), causes: [required("spec.recommenders[0].name")]),
    ]

    @Test(arguments: rows)
    func validates(_ row: Row) async throws {
        let old = row.operation == .update ? baseMPA : nil
        let run = try await runEngine([MPAValidationRule()], body: mpaReview(row.object, operation: row.operation, oldObject: old),
                                      endpoint: .validating)
        let causes = run.causes.map { c in
            Cause(field: c["field"]?.stringValue ?? "", reason: c["reason"]?.stringValue ?? "", message: c["message"]?.stringValue ?? "")
        }
        #expect(causes == row.causes)
        #expect(run.response.allowed == row.causes.isEmpty)
        if !row.causes.isEmpty {
            let status = run.json["response"]?["status"]
            #expect(status?["code"] == 422)
            #expect(status?["reason"] == "Invalid")
            #expect(status?["details"]?["kind"] == "MultidimPodAutoscaler")
            #expect(status?["details"]?["group"] == "autoscaling.k8s.io")
            let first = row.causes[0]
            #expect(status?["message"]?.stringValue?.contains("\(first.field): \(first.message)") == true)
        }
    }

    /// Every problem at once (fix: upstream stopped at the first), in one 422.
    @Test func collectsAllErrors() async throws {
        let broken = baseMPA
            .setting(["spec", "scaleTargetRef", "kind"], nil)
            .setting(["spec", "policy", "updateMode"], "Sometimes")
            .setting(["spec", "constraints", "global"], ["minReplicas": 5, "maxReplicas": 3])
            .setting(Self.cpPath + ["mode"], "Maybe")
            .setting(["spec", "recommenders"], [["name": "a"], ["name": "b"]])
        let run = try await runEngine([MPAValidationRule()], body: mpaReview(broken), endpoint: .validating)
        #expect(run.causes.count == 5)
        #expect(run.json["response"]?["status"]?["message"] == .string(
            #"MultidimPodAutoscaler "hamster-mpa" is invalid: [spec.scaleTargetRef.kind: Required value, spec.policy.updateMode: Unsupported value: "Sometimes": supported values: "Off", "Initial", "Recreate", "Auto", spec.constraints.global: Invalid value: minReplicas 5 > maxReplicas 3, spec.resourcePolicy.containerPolicies[0].mode: Unsupported value: "Maybe": supported values: "Auto", "Off", spec.recommenders: Too many: 2: must have at most 1 items]"#))
    }

    @Test func deleteIsAllowed() async throws {
        let run = try await runEngine([MPAValidationRule()], body: mpaReview(baseMPA.setting(["spec"], "x"), operation: .delete, oldObject: baseMPA),
                                      endpoint: .validating)
        #expect(run.response.allowed)
    }

    @Test func mutatingEndpointDoesNotValidate() async throws {
        let run = try await runEngine([MPAValidationRule()], body: mpaReview(baseMPA.setting(["spec"], "x")), endpoint: .mutating)
        #expect(run.response.allowed)
    }

    @Test func maxRecommendersParameter() async throws {
        let rule = try MPAValidationRule(parameters: ["maxRecommenders": 2])
        let two = baseMPA.setting(["spec", "recommenders"], [["name": "a"], ["name": "b"]])
        #expect(rule.check(two, creating: true).isEmpty)
        #expect(throws: ConfigurationError.self) { _ = try MPAValidationRule(parameters: ["maxRecommenders": -1]) }
        #expect(throws: ConfigurationError.self) { _ = try MPAValidationRule(parameters: ["other": 1]) }
    }
}
