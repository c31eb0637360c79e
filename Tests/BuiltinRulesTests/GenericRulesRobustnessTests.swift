import AdmissionAPI
import AdmissionRules
import BuiltinRules
import JSON
import JSONPatch
import Testing

/// Every value of a realistic pod replaced, one at a time, by each JSON type: the generic
/// rules must answer or throw (failure policy), never trap, and a defaulter's patch must apply.
struct GenericRulesRobustnessTests {
    static let pod: JSONValue = [
        "apiVersion": "v1", "kind": "Pod",
        "metadata": ["name": "p", "labels": ["team": "core", "role": "api"], "annotations": ["a": "b"]],
        "spec": [
            "hostNetwork": false,
            "securityContext": ["runAsNonRoot": true, "runAsUser": 1000],
            "volumes": [["name": "v", "hostPath": ["path": "/var/log"]], ["name": "db-ca", "emptyDir": [:]]],
            "initContainers": [["name": "i", "image": "x", "env": [["name": "A", "value": "1"]]]],
            "containers": [[
                "name": "c", "image": "x",
                "env": [["name": "DB_HOST", "value": "h"]], "envFrom": [["secretRef": ["name": "s"]]],
                "volumeMounts": [["name": "v", "mountPath": "/v"]],
                "resources": ["requests": ["cpu": "1"], "limits": ["memory": "1Gi"]],
                "securityContext": ["privileged": false, "allowPrivilegeEscalation": false,
                                    "capabilities": ["add": ["NET_BIND_SERVICE"], "drop": ["ALL"]]],
            ]],
        ],
    ]

    static let replacements: [JSONValue] = [.null, 0, -1, "x", "", true, [], [:], [[:]], ["x"], ["name": 5]]

    static func paths(_ v: JSONValue, _ prefix: [String] = []) -> [[String]] {
        var out = [prefix]
        switch v {
        case .object(let o): for m in o { out += paths(m.value, prefix + [m.key]) }
        case .array(let a): for (i, e) in a.enumerated() { out += paths(e, prefix + [String(i)]) }
        default: break
        }
        return out
    }

    static func rules() throws -> [any AdmissionRule] {
        [
            try RequiredLabelsRule(parameters: ["labels": [["key": "team", "pattern": "[a-z]+"], ["key": "role"]]]),
            try PodPresetRule(parameters: ["name": "db", "selector": ["matchLabels": ["role": "api"]],
                                           "env": [["name": "DB_HOST", "value": "db"]], "envFrom": [["configMapRef": ["name": "c"]]],
                                           "volumes": [["name": "db-ca", "configMap": ["name": "db-ca"]]],
                                           "volumeMounts": [["name": "db-ca", "mountPath": "/etc/db-ca"]]]),
            try DefaultResourcesRule(parameters: ["requests": ["cpu": "100m", "memory": "128Mi"], "limits": ["memory": "512Mi", "cpu": "2"]]),
            try PodSecurityRule(parameters: ["checks": .array(PodSecurityRule.Check.allCases.map { .string($0.rawValue) }),
                                             "allowedHostPaths": ["/var/log"]]),
        ]
    }

    @Test func typeConfusedPodsNeverTrap() async throws {
        let rules = try Self.rules()
        var runs = 0
        var thrown = 0
        for path in Self.paths(Self.pod) where !path.isEmpty {
            for r in Self.replacements {
                let pod = try JSONPatch.apply([.replace(path: JSONPointer(tokens: path), value: r)], to: Self.pod)
                let request = AdmissionRequest(uid: "u", kind: GroupVersionKind(group: "", version: "v1", kind: "Pod"),
                                               resource: GroupVersionResource(group: "", version: "v1", resource: "pods"),
                                               namespace: "default", operation: .create, object: pod)
                for rule in rules {
                    runs += 1
                    do {
                        if let d = rule as? any Defaulter {
                            let result = try await d.default(request, object: pod)
                            if case .patch(let ops) = result.change {
                                #expect((try? JSONPatch.apply(ops, to: pod)) != nil, "\(rule.name) at \(path) with \(r)")
                            }
                        }
                        if let v = rule as? any Validator {
                            _ = try await v.validateCreate(request, object: pod)
                            _ = try await v.validateUpdate(request, object: pod, oldObject: Self.pod)
                        }
                    } catch {
                        thrown += 1
                    }
                }
            }
        }
        #expect(runs > 1000)
        #expect(thrown < runs / 4, "\(thrown) of \(runs) threw")
    }
}
