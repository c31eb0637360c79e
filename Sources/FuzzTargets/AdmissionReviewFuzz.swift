import AdmissionAPI
import AdmissionRules
import JSON
import JSONPatch

/// Any bytes as an AdmissionReview body, through `AdmissionEngine.process` on both endpoints
/// with the fuzz rules below (main registers no built-in rules yet; these exercise every kind of
/// change: builder patch, whole-object diff, label and annotation writes, validation from input
/// values). A reviewed answer must satisfy the apiserver contract, and a patch must apply to the
/// object it was made for.
enum AdmissionReviewFuzz {
    static let engine: AdmissionEngine? = {
        guard let rules = try? RuleSet([FuzzAnnotateDefaulter(), FuzzResourcesDefaulter(), FuzzImageValidator()])
        else { return nil }
        return AdmissionEngine(rules: rules)
    }()

    static func run(_ data: [UInt8]) async -> [String] {
        guard let engine else { return ["fuzz rules rejected by RuleSet"] }
        var problems: [String] = []
        for endpoint in AdmissionEndpoint.allCases {
            switch await engine.process(data, endpoint: endpoint) {
            case .badRequest(let e):
                if e.message.isEmpty || e.message.contains("\n") { problems.append("bad 400 message: \(e.message)") }
            case .reviewed(let r):
                let violations = AdmissionContract.violations(request: r.review, response: r.bytes, endpoint: endpoint)
                problems += violations.map { "\(endpoint): \($0)" }
                if !r.response.patch.isEmpty {
                    if let object = r.review.request.object {
                        do { _ = try JSONPatch.apply(r.response.patch, to: object) } catch {
                            problems.append("\(endpoint): patch does not apply to the object: \(error)")
                        }
                    } else {
                        problems.append("\(endpoint): patch without an object")
                    }
                }
            }
        }
        return problems
    }
}

let fuzzPods = RuleMatch(resources: [RuleMatch.Resource(group: "", resource: "pods")],
                         operations: Set(AdmissionOperation.allCases))

/// Builder patches from input values: copies the object's name into an annotation and a label
/// (keys that need `~1` escaping), and marks the object.
struct FuzzAnnotateDefaulter: Defaulter {
    let name = "fuzz-annotate"
    let match = fuzzPods
    func `default`(_ request: AdmissionRequest, object: JSONValue) async throws -> Defaulting {
        var b = ObjectPatchBuilder(object)
        try b.setAnnotation("fuzz.mpa.k8s.io/name", object["metadata"]?["name"]?.stringValue ?? request.name)
        try b.setLabel("fuzz.mpa.k8s.io/op", request.operation.rawValue)
        if let first = RuleMatch.labels(of: object).min(by: { $0.key < $1.key }) {
            try b.setAnnotation("fuzz.mpa.k8s.io/\(first.key)", first.value)
        }
        return Defaulting(change: .patch(b.operations), warnings: ["annotated \(request.name)"],
                          auditAnnotations: ["fuzz": request.uid])
    }
}

/// A whole modified object (diffed by the engine): every container gets cpu/memory requests,
/// containers without a name are dropped.
struct FuzzResourcesDefaulter: Defaulter {
    let name = "fuzz-resources"
    let match = fuzzPods
    func `default`(_ request: AdmissionRequest, object: JSONValue) async throws -> Defaulting {
        guard case .object(var pod) = object, case .object(var spec)? = pod["spec"],
              case .array(let containers)? = spec["containers"] else { return .unchanged }
        var kept: [JSONValue] = []
        for case .object(var c) in containers where c["name"]?.stringValue != nil {
            var resources = c["resources"]?.objectValue ?? JSONObject()
            var requests = resources["requests"]?.objectValue ?? JSONObject()
            if requests["cpu"] == nil { requests["cpu"] = "100m" }
            if requests["memory"] == nil { requests["memory"] = "64Mi" }
            resources["requests"] = .object(requests)
            c["resources"] = .object(resources)
            kept.append(.object(c))
        }
        spec["containers"] = .array(kept)
        pod["spec"] = .object(spec)
        return Defaulting(change: .object(.object(pod)))
    }
}

/// Violations whose messages quote input values (images, label values) on every operation.
struct FuzzImageValidator: Validator {
    let name = "fuzz-image"
    let match = fuzzPods
    func validateCreate(_ request: AdmissionRequest, object: JSONValue) async throws -> Validation { check(object) }
    func validateUpdate(_ request: AdmissionRequest, object: JSONValue, oldObject: JSONValue) async throws -> Validation {
        check(object)
    }
    func validateDelete(_ request: AdmissionRequest, oldObject: JSONValue?) async throws -> Validation {
        guard let old = oldObject, let p = RuleMatch.labels(of: old)["protected"] else { return .valid }
        return Validation(violations: [Violation(field: "metadata.labels.protected", message: "protected: \(p)",
                                                 reason: "FieldValueForbidden")])
    }
    func check(_ object: JSONValue) -> Validation {
        var v: [Violation] = []
        for (i, c) in (object["spec"]?["containers"]?.arrayValue ?? []).enumerated() {
            let image = c["image"]?.stringValue ?? ""
            if image.hasSuffix(":latest") || !image.contains(":") {
                v.append(Violation(field: "spec.containers[\(i)].image", message: "Invalid value: \"\(image)\""))
            }
        }
        return Validation(violations: v, warnings: v.isEmpty ? [] : ["\(v.count) image problem(s)"])
    }
}
