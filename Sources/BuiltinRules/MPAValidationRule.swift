import AdmissionAPI
import AdmissionRules
import JSON
import MPA
import Quantity

/// `mpaValidation` (validating, §4): checks an MPA on CREATE and UPDATE and reports **all**
/// problems at once (**fix**: upstream stopped at the first), one cause per problem with its
/// Kubernetes field path; the engine turns them into a 422 `Invalid` denial.
/// Works on the raw JSON, so a wrongly typed field is one more cause, not a decoding failure.
///
///     parameters:
///       maxRecommenders: 1      # at most this many spec.recommenders (default 1)
public struct MPAValidationRule: Validator {
    public static let typeName = "mpaValidation"
    static let metricTypes: [(type: String, member: String)] = [
        ("Resource", "resource"), ("Pods", "pods"), ("Object", "object"), ("External", "external"),
        ("ContainerResource", "containerResource"),
    ]
    static let controllableResources = ["cpu", "memory"]

    public var name = MPAValidationRule.typeName
    public var match = MPARuleMatch.mpaCreateUpdate
    public var maxRecommenders: Int

    public init(maxRecommenders: Int = 1) { self.maxRecommenders = maxRecommenders }

    public init(parameters: JSONValue) throws(ConfigurationError) {
        let p = try ParameterReader(parameters, allowedKeys: ["maxRecommenders"])
        self.init()
        if let n = try p.int("maxRecommenders") {
            guard n >= 0, n <= 1000 else { throw ConfigurationError(path: "maxRecommenders", "must be between 0 and 1000, got \(n)") }
            maxRecommenders = Int(n)
        }
    }

    public func validateCreate(_ request: AdmissionRequest, object: JSONValue) async throws -> Validation {
        Validation(violations: check(object, creating: true))
    }

    public func validateUpdate(_ request: AdmissionRequest, object: JSONValue, oldObject: JSONValue) async throws -> Validation {
        Validation(violations: check(object, creating: false))
    }

    /// Every problem of `object` (CREATE requires `spec.scaleTargetRef`).
    public func check(_ mpa: JSONValue, creating: Bool) -> [Violation] {
        var errors = FieldErrors()
        guard let spec = mpa["spec"], !spec.isNull else {
            if creating { errors.required("spec.scaleTargetRef") }
            return errors.violations
        }
        guard case .object = spec else {
            errors.typeInvalid("spec", spec, expected: "an object")
            return errors.violations
        }
        checkScaleTargetRef(spec["scaleTargetRef"], creating: creating, &errors)
        checkPolicy(spec["policy"], &errors)
        if let constraints = object(spec["constraints"], "spec.constraints", &errors) {
            checkConstraints(constraints, &errors)
        }
        if let policy = object(spec["resourcePolicy"], "spec.resourcePolicy", &errors),
           let list = array(policy["containerPolicies"], "spec.resourcePolicy.containerPolicies", &errors) {
            for (i, item) in list.enumerated() {
                checkContainerPolicy(item, "spec.resourcePolicy.containerPolicies".at(i), &errors)
            }
        }
        if let goals = object(spec["goals"], "spec.goals", &errors),
           let metrics = array(goals["metrics"], "spec.goals.metrics", &errors) {
            for (i, metric) in metrics.enumerated() { checkMetric(metric, "spec.goals.metrics".at(i), &errors) }
        }
        if let recommenders = array(spec["recommenders"], "spec.recommenders", &errors) {
            if recommenders.count > maxRecommenders {
                errors.tooMany("spec.recommenders", actual: recommenders.count, max: maxRecommenders)
            }
            for (i, r) in recommenders.enumerated() {
                let path = "spec.recommenders".at(i)
                guard let o = object(r, path, &errors) else { continue }
                _ = requiredString(o["name"], path.dot("name"), &errors)
            }
        }
        return errors.violations
    }

    // MARK: - sections

    private func checkScaleTargetRef(_ value: JSONValue?, creating: Bool, _ errors: inout FieldErrors) {
        let path = "spec.scaleTargetRef"
        guard let value, !value.isNull else {
            if creating { errors.required(path) }
            return
        }
        guard let ref = object(value, path, &errors) else { return }
        _ = requiredString(ref["kind"], path.dot("kind"), &errors)
        _ = requiredString(ref["name"], path.dot("name"), &errors)
        _ = optionalString(ref["apiVersion"], path.dot("apiVersion"), &errors)
    }

    private func checkPolicy(_ value: JSONValue?, _ errors: inout FieldErrors) {
        guard let policy = object(value, "spec.policy", &errors) else { return }
        let path = "spec.policy.updateMode"
        guard let mode = requiredString(policy["updateMode"], path, &errors) else { return }
        if UpdateMode(rawValue: mode) == nil {
            errors.notSupported(path, .string(mode), UpdateMode.allCases.map(\.rawValue))
        }
    }

    private func checkConstraints(_ constraints: JSONObject, _ errors: inout FieldErrors) {
        let base = "spec.constraints"
        if let global = object(constraints["global"], base.dot("global"), &errors) {
            let path = base.dot("global")
            let minReplicas = positiveInt(global["minReplicas"], path.dot("minReplicas"), &errors)
            var maxReplicas: Int64?
            if let v = global["maxReplicas"], !v.isNull {
                maxReplicas = positiveInt(v, path.dot("maxReplicas"), &errors)
            } else {
                errors.required(path.dot("maxReplicas"))
            }
            if let lo = minReplicas, let hi = maxReplicas, lo > hi {
                errors.invalid(path, nil, "minReplicas \(lo) > maxReplicas \(hi)")
            }
        }
        if let list = array(constraints["containerControlledResources"], base.dot("containerControlledResources"), &errors) {
            checkResourceNames(list, base.dot("containerControlledResources"), &errors)
        }
        if let containers = array(constraints["container"], base.dot("container"), &errors) {
            for (i, item) in containers.enumerated() {
                let path = base.dot("container").at(i)
                guard let c = object(item, path, &errors) else { continue }
                _ = requiredString(c["name"], path.dot("name"), &errors)
                checkMode(c["mode"], path.dot("mode"), &errors)
                if let requests = object(c["requests"], path.dot("requests"), &errors) {
                    checkMinMax(requests, path.dot("requests"), &errors)
                }
            }
        }
    }

    private func checkContainerPolicy(_ item: JSONValue, _ path: String, _ errors: inout FieldErrors) {
        guard let p = object(item, path, &errors) else { return }
        _ = requiredString(p["containerName"], path.dot("containerName"), &errors)
        let mode = checkMode(p["mode"], path.dot("mode"), &errors)
        if let text = optionalString(p["controlledValues"], path.dot("controlledValues"), &errors) {
            if ControlledValues(rawValue: text) == nil {
                errors.notSupported(path.dot("controlledValues"), .string(text), ControlledValues.allCases.map(\.rawValue))
            } else if mode == .off {
                errors.invalid(path.dot("controlledValues"), .string(text), "must not be set when mode is Off")
            }
        }
        if let list = array(p["controlledResources"], path.dot("controlledResources"), &errors) {
            checkResourceNames(list, path.dot("controlledResources"), &errors)
        }
        checkMinMax(p, path, &errors)
    }

    private func checkMetric(_ item: JSONValue, _ path: String, _ errors: inout FieldErrors) {
        guard let m = object(item, path, &errors) else { return }
        guard let type = requiredString(m["type"], path.dot("type"), &errors) else { return }
        guard let member = Self.metricTypes.first(where: { $0.type == type })?.member else {
            errors.notSupported(path.dot("type"), .string(type), Self.metricTypes.map(\.type))
            return
        }
        if m[member]?.isNull ?? true {
            errors.required(path.dot(member), "must be set when type is \(type)")
        } else {
            _ = object(m[member], path.dot(member), &errors)
        }
    }

    // MARK: - shared checks

    /// `mode` in {Auto, Off}; returns the valid mode.
    @discardableResult
    private func checkMode(_ value: JSONValue?, _ path: String, _ errors: inout FieldErrors) -> ContainerScalingMode? {
        guard let text = optionalString(value, path, &errors) else { return nil }
        guard let mode = ContainerScalingMode(rawValue: text) else {
            errors.notSupported(path, .string(text), ContainerScalingMode.allCases.map(\.rawValue))
            return nil
        }
        return mode
    }

    private func checkResourceNames(_ list: [JSONValue], _ path: String, _ errors: inout FieldErrors) {
        for (j, v) in list.enumerated() {
            guard case .string(let s) = v else { errors.typeInvalid(path.at(j), v, expected: "a string"); continue }
            if !Self.controllableResources.contains(s) {
                errors.notSupported(path.at(j), v, Self.controllableResources)
            }
        }
    }

    /// `minAllowed`/`maxAllowed` in `owner`: resolution per resource, then max ≥ min where both are valid.
    private func checkMinMax(_ owner: JSONObject, _ path: String, _ errors: inout FieldErrors) {
        let minimum = resourceList(owner["minAllowed"], path.dot("minAllowed"), &errors)
        let maximum = resourceList(owner["maxAllowed"], path.dot("maxAllowed"), &errors)
        for name in ResourceList.ordered(maximum.keys) {
            guard let hi = maximum[name], let lo = minimum[name], hi < lo else { continue }
            errors.invalid(path.dot("maxAllowed").dot(name), .string(hi.description),
                           "must be greater than or equal to minAllowed.\(name) (\(lo.description))")
        }
    }

    /// The valid quantities of a resource map; each bad one is a cause.
    private func resourceList(_ value: JSONValue?, _ path: String, _ errors: inout FieldErrors) -> [String: Quantity] {
        guard let o = object(value, path, &errors) else { return [:] }
        var out: [String: Quantity] = [:]
        for m in o {
            let at = path.dot(m.key)
            let q: Quantity
            do {
                q = try ResourceList.quantity(m.value, path: at)
            } catch {
                errors.invalid(at, m.value, "must be a quantity (e.g. 100m, 128Mi)")
                continue
            }
            switch m.key {
            case "cpu" where !q.isWholeMilli:
                errors.invalid(at, m.value, "must be a whole number of milli-CPUs")
            case "memory" where !q.isWholeUnit:
                errors.invalid(at, m.value, "must be a whole number of bytes")
            default:
                out[m.key] = q
            }
        }
        return out
    }

    // MARK: - typed reads (nil when absent/null or wrong type; a wrong type is a cause)

    private func object(_ value: JSONValue?, _ path: String, _ errors: inout FieldErrors) -> JSONObject? {
        guard let value, !value.isNull else { return nil }
        guard case .object(let o) = value else { errors.typeInvalid(path, value, expected: "an object"); return nil }
        return o
    }

    private func array(_ value: JSONValue?, _ path: String, _ errors: inout FieldErrors) -> [JSONValue]? {
        guard let value, !value.isNull else { return nil }
        guard case .array(let a) = value else { errors.typeInvalid(path, value, expected: "a list"); return nil }
        return a
    }

    private func optionalString(_ value: JSONValue?, _ path: String, _ errors: inout FieldErrors) -> String? {
        guard let value, !value.isNull else { return nil }
        guard case .string(let s) = value else { errors.typeInvalid(path, value, expected: "a string"); return nil }
        return s
    }

    /// A non-empty string; absent, null or empty is `Required value`.
    private func requiredString(_ value: JSONValue?, _ path: String, _ errors: inout FieldErrors) -> String? {
        guard let value, !value.isNull else { errors.required(path); return nil }
        guard case .string(let s) = value else { errors.typeInvalid(path, value, expected: "a string"); return nil }
        guard !s.isEmpty else { errors.required(path); return nil }
        return s
    }

    /// An integer > 0 when present.
    private func positiveInt(_ value: JSONValue?, _ path: String, _ errors: inout FieldErrors) -> Int64? {
        guard let value, !value.isNull else { return nil }
        guard let n = value.int64Value else { errors.typeInvalid(path, value, expected: "an integer"); return nil }
        guard n > 0 else { errors.invalid(path, value, "must be greater than 0"); return nil }
        return n
    }
}
