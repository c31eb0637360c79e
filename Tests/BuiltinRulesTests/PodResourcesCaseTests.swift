import AdmissionAPI
import AdmissionRules
@testable import BuiltinRules
import JSON
import JSONPatch
import MPA
import Testing

/// Every case under Fixtures/pods/cases: the exact patch, the warnings, and the pod after the
/// patch is applied with our RFC 6902 implementation.
@Suite struct PodResourcesCaseTests {
    static let cases: [PodCase] = (try? PodCase.all()) ?? []

    @Test func casesAreFound() {
        #expect(Self.cases.count >= 30)
    }

    @Test(arguments: cases)
    func podCase(_ c: PodCase) async throws {
        let state = try FakeClusterState(objects: try c.objects(), synced: c.synced)
        let rule = MPAPodResources(state: state)
        let request = podCreateRequest(c.pod, namespace: c.namespace)
        let result = try await rule.default(request, object: c.pod)

        // Warnings: exactly one containing the expected text, or none.
        if let warning = c.expect["warning"]?.stringValue {
            #expect(result.warnings.count == 1, "\(c): warnings \(result.warnings)")
            #expect(result.warnings.first?.contains(warning) == true, "\(c): warnings \(result.warnings)")
            #expect(result.warnings.first?.hasPrefix("MPA resource recommendation not applied: ") == true)
        } else {
            #expect(result.warnings.isEmpty, "\(c): unexpected warnings \(result.warnings)")
        }

        let expectedPatch = c.expect["patch"] ?? .null
        guard case .patch(let ops) = result.change else {
            if case .object = result.change { Issue.record("\(c): rule returned a whole object") }
            #expect(expectedPatch.isNull, "\(c): expected a patch, got none")
            return
        }
        let actual = try JSONParser.parse(JSONPatch.encode(ops))
        #expect(actual == expectedPatch, "\(c): patch\n\(actual)\nexpected\n\(expectedPatch)")

        // The patch applies to the pod as sent, keeps what was there, and gives the expected pod.
        let patched = try JSONPatch.apply(ops, to: c.pod)
        if case .object(let before)? = c.pod["metadata"]?["annotations"] {
            for m in before where m.key != "mpaUpdates" && m.key != "mpaObservedContainers" {
                #expect(patched["metadata"]?["annotations"]?[m.key] == m.value, "\(c): annotation \(m.key) lost")
            }
        }
        #expect(patched["spec"]?["volumes"] == c.pod["spec"]?["volumes"])
        for list in ["containers", "initContainers"] {
            guard let expected = c.expect[list]?.arrayValue else { continue }
            let got = patched["spec"]?[list]?.arrayValue ?? []
            #expect(got.count == expected.count, "\(c): \(list) count")
            for (i, e) in expected.enumerated() where i < got.count {
                #expect(got[i]["resources"] == e, "\(c): \(list)[\(i)].resources \(String(describing: got[i]["resources"]))")
                #expect(got[i]["name"] == c.pod["spec"]?[list]?[i]?["name"])
            }
        }
        if let annotations = c.expect["annotations"] {
            #expect(patched["metadata"]?["annotations"] == annotations,
                    "\(c): annotations \(String(describing: patched["metadata"]?["annotations"]))")
        }
    }
}

func podCreateRequest(_ pod: JSONValue, namespace: String) -> AdmissionRequest {
    AdmissionRequest(uid: "test", kind: GroupVersionKind(group: "", version: "v1", kind: "Pod"),
                     resource: GroupVersionResource(group: "", version: "v1", resource: "pods"),
                     namespace: namespace, operation: .create, object: pod)
}
