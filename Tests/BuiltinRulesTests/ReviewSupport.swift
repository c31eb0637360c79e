import AdmissionAPI
import AdmissionRules
import BuiltinRules
import Foundation
import JSON
import JSONPatch
import Testing

enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func json(_ relative: String) throws -> JSONValue {
        try JSONParser.parse([UInt8](try Data(contentsOf: directory.appendingPathComponent(relative))))
    }

    static func names(in relative: String, suffix: String) -> [String] {
        let dir = directory.appendingPathComponent(relative).path
        let all = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return all.filter { $0.hasSuffix(suffix) }.map { String($0.dropLast(suffix.count)) }.sorted()
    }
}

/// An MPA AdmissionReview (v1) around `object`, as kube-apiserver sends it.
func mpaReview(_ object: JSONValue, operation: AdmissionOperation = .create, oldObject: JSONValue? = nil) -> [UInt8] {
    let gvk: JSONValue = ["group": "autoscaling.k8s.io", "version": "v1alpha1", "kind": "MultidimPodAutoscaler"]
    let gvr: JSONValue = ["group": "autoscaling.k8s.io", "version": "v1alpha1", "resource": "multidimpodautoscalers"]
    let request: JSONValue = [
        "uid": "0f4a3c2e-1111-4222-8333-944455556666", "kind": gvk, "resource": gvr, "requestKind": gvk, "requestResource": gvr,
        "name": object["metadata"]?["name"] ?? "", "namespace": "default", "operation": .string(operation.rawValue),
        "userInfo": ["username": "kubernetes-admin", "groups": ["system:authenticated"]],
        "object": operation == .delete ? .null : object, "oldObject": oldObject ?? .null, "dryRun": false,
    ]
    let review: JSONValue = ["apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": request]
    return JSONWriter.bytes(review)
}

/// One AdmissionReview through the real engine, with the apiserver's contract checked on the answer.
struct EngineRun {
    var response: AdmissionResponse
    var json: JSONValue
    var object: JSONValue?

    /// The sent object with the response's patch applied by our JSON Patch implementation.
    func patched() throws -> JSONValue? {
        guard let object else { return nil }
        return try JSONPatch.apply(response.patch, to: object)
    }

    var causes: [JSONValue] { json["response"]?["status"]?["details"]?["causes"]?.arrayValue ?? [] }
}

func runEngine(_ rules: [any AdmissionRule], body: [UInt8], endpoint: AdmissionEndpoint) async throws -> EngineRun {
    let engine = AdmissionEngine(rules: try RuleSet(rules))
    switch await engine.process(body, endpoint: endpoint) {
    case .badRequest(let e):
        throw BadReview(message: e.message)
    case .reviewed(let r):
        let problems = AdmissionContract.violations(request: r.review, response: r.bytes, endpoint: endpoint)
        #expect(problems.isEmpty, "contract: \(problems)")
        return EngineRun(response: r.response, json: try JSONParser.parse(r.bytes), object: r.review.request.object)
    }
}

struct BadReview: Error { var message: String }

/// A valid MPA to start each case from.
let baseMPA: JSONValue = [
    "apiVersion": "autoscaling.k8s.io/v1alpha1", "kind": "MultidimPodAutoscaler",
    "metadata": ["name": "hamster-mpa", "namespace": "default"],
    "spec": [
        "scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": "hamster"],
        "policy": ["updateMode": "Auto"],
        "resourcePolicy": ["containerPolicies": [
            ["containerName": "*", "minAllowed": ["cpu": "100m", "memory": "50Mi"], "maxAllowed": ["cpu": 1, "memory": "500Mi"],
             "controlledResources": ["cpu", "memory"]],
        ]],
        "constraints": ["global": ["minReplicas": 1, "maxReplicas": 6]],
        "goals": ["metrics": [["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": 30]]]]],
    ],
]

extension JSONValue {
    /// A copy with the value at `path` (object keys / array indices) replaced; `nil` removes it.
    func setting(_ path: [String], _ value: JSONValue?) -> JSONValue {
        guard let first = path.first else { return value ?? .null }
        switch self {
        case .object(var o):
            let child = o[first] ?? .object(JSONObject())
            if path.count == 1 && value == nil { o.removeValue(forKey: first) } else { o[first] = child.setting(Array(path.dropFirst()), value) }
            return .object(o)
        case .array(var a):
            guard let i = Int(first), i >= 0, i < a.count else { return self }
            a[i] = a[i].setting(Array(path.dropFirst()), value)
            return .array(a)
        default:
            return self
        }
    }
}
