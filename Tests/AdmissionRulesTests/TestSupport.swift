import AdmissionAPI
import AdmissionRules
import Foundation
import JSON
import JSONPatch
import Testing

/// Recorded AdmissionReviews live with the AdmissionAPI tests; read them from there.
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("AdmissionAPITests/Fixtures")

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    static func request(_ name: String) throws -> AdmissionRequest {
        try AdmissionReview.decode(try bytes(name)).request
    }
}

/// Runs bytes through the engine like the server does and checks every contract rule on the answer.
struct Run {
    var review: AdmissionReview
    var response: AdmissionResponse
    var report: EvaluationReport
    var bytes: [UInt8]
    var json: JSONValue

    /// The sent object with the response's patch applied (nil without object).
    var patchedObject: JSONValue? {
        guard let object = review.request.object else { return nil }
        return try? JSONPatch.apply(response.patch, to: object)
    }

    var patchText: String { String(decoding: JSONPatch.encode(response.patch), as: UTF8.self) }
}

func run(_ rules: [any AdmissionRule], fixture: String, endpoint: AdmissionEndpoint,
         namespaceLabels: (any NamespaceLabelsProvider)? = nil) async throws -> Run {
    try await run(AdmissionEngine(rules: try RuleSet(rules), namespaceLabels: namespaceLabels),
                  body: try Fixture.bytes(fixture), endpoint: endpoint)
}

struct UnexpectedBadRequest: Error { var message: String }

func run(_ engine: AdmissionEngine, body: [UInt8], endpoint: AdmissionEndpoint) async throws -> Run {
    switch await engine.process(body, endpoint: endpoint) {
    case .badRequest(let e):
        throw UnexpectedBadRequest(message: e.message)
    case .reviewed(let r):
        let problems = AdmissionContract.violations(request: r.review, response: r.bytes, endpoint: endpoint)
        #expect(problems.isEmpty, "contract: \(problems)")
        return Run(review: r.review, response: r.response, report: r.report, bytes: r.bytes,
                   json: try JSONParser.parse(r.bytes))
    }
}

let podsCreateUpdate = RuleMatch(resources: [RuleMatch.Resource(group: "", version: "v1", resource: "pods")],
                                 operations: [.create, .update])
let podsAll = RuleMatch(resources: [RuleMatch.Resource(group: "", resource: "pods")],
                        operations: Set(AdmissionOperation.allCases))

// MARK: - test rules

/// Adds one annotation with the builder (creates metadata.annotations when absent).
struct AnnotateDefaulter: Defaulter {
    var name = "annotate"
    var key = "mpa.k8s.io/managed"
    var value = "true"
    var match = podsCreateUpdate
    var failurePolicy = FailurePolicy.ignore
    var warning: String? = nil

    func `default`(_ request: AdmissionRequest, object: JSONValue) async throws -> Defaulting {
        var b = ObjectPatchBuilder(object)
        try b.setAnnotation(key, value)
        return Defaulting(change: .patch(b.operations), warnings: warning.map { [$0] } ?? [],
                          auditAnnotations: ["annotated": key])
    }
}

/// The classic bug: `add /metadata/annotations/<key>` without making sure the parent exists.
struct NaiveAnnotateDefaulter: Defaulter {
    var name = "naive-annotate"
    var match = podsCreateUpdate
    var failurePolicy = FailurePolicy.ignore
    func `default`(_ request: AdmissionRequest, object: JSONValue) async throws -> Defaulting {
        Defaulting(change: .patch([.add(path: JSONPointer(tokens: ["metadata", "annotations", "naive"]), value: "1")]))
    }
}

/// Returns a whole modified object: sets cpu limits on every container and copies the
/// `mpa.k8s.io/managed` annotation (if an earlier rule set it) into a label.
struct WholeObjectDefaulter: Defaulter {
    var name = "whole-object"
    var match = podsCreateUpdate
    func `default`(_ request: AdmissionRequest, object: JSONValue) async throws -> Defaulting {
        guard case .object(var pod) = object, case .object(var spec)? = pod["spec"],
              case .array(var containers)? = spec["containers"] else { return .unchanged }
        for i in containers.indices {
            guard case .object(var c) = containers[i] else { continue }
            var resources = c["resources"]?.objectValue ?? JSONObject()
            resources["limits"] = ["cpu": "1"]
            c["resources"] = .object(resources)
            containers[i] = .object(c)
        }
        spec["containers"] = .array(containers)
        pod["spec"] = .object(spec)
        if let seen = object["metadata"]?["annotations"]?["mpa.k8s.io/managed"], case .object(var meta)? = pod["metadata"] {
            var labels = meta["labels"]?.objectValue ?? JSONObject()
            labels["mpa-managed"] = seen
            meta["labels"] = .object(labels)
            pod["metadata"] = .object(meta)
        }
        return Defaulting(change: .object(.object(pod)))
    }
}

/// Returns something that is not an acceptable object.
struct BadShapeDefaulter: Defaulter {
    var name = "bad-shape"
    var result: JSONValue
    var match = podsCreateUpdate
    func `default`(_ request: AdmissionRequest, object: JSONValue) async throws -> Defaulting {
        Defaulting(change: .object(result))
    }
}

/// Several violations: every `:latest`/untagged image, and a missing `team` label.
struct ImagePolicyValidator: Validator {
    var name = "image-policy"
    var match = podsAll
    func validateCreate(_ request: AdmissionRequest, object: JSONValue) async throws -> Validation {
        check(object)
    }
    func validateUpdate(_ request: AdmissionRequest, object: JSONValue, oldObject: JSONValue) async throws -> Validation {
        check(object)
    }
    func validateDelete(_ request: AdmissionRequest, oldObject: JSONValue?) async throws -> Validation {
        guard let old = oldObject, RuleMatch.labels(of: old)["protected"] == "true" else { return .valid }
        return Validation(violations: [Violation(field: "metadata.labels.protected", message: "protected pods cannot be deleted",
                                                 reason: "FieldValueForbidden")])
    }
    func check(_ object: JSONValue) -> Validation {
        var v: [Violation] = []
        for (i, c) in (object["spec"]?["containers"]?.arrayValue ?? []).enumerated() {
            let image = c["image"]?.stringValue ?? ""
            if image.hasSuffix(":latest") || !image.contains(":") {
                v.append(Violation(field: "spec.containers[\(i)].image", message: "Invalid value: \"\(image)\": must name a fixed tag"))
            }
        }
        if RuleMatch.labels(of: object)["team"] == nil {
            v.append(Violation(field: "metadata.labels.team", message: "Required value", reason: "FieldValueRequired"))
        }
        return Validation(violations: v, warnings: v.isEmpty ? [] : ["image policy: \(v.count) problem(s)"])
    }
}

struct Boom: Error, CustomStringConvertible { var description: String { "cluster state unavailable\nretry later" } }

/// Throws on every call, as defaulter and validator.
struct ThrowingRule: Defaulter, Validator {
    var name = "boom"
    var failurePolicy: FailurePolicy
    var match = podsAll
    func `default`(_ request: AdmissionRequest, object: JSONValue) async throws -> Defaulting { throw Boom() }
    func validateCreate(_ request: AdmissionRequest, object: JSONValue) async throws -> Validation { throw Boom() }
}
