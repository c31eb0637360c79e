import AdmissionAPI
import AdmissionRules
import JSON
import Testing

/// Whatever arrives, the engine answers with a one-line 400 reason or a contract-valid review.
struct RobustnessTests {
    static let fixtures = [
        "v1-pod-create-no-annotations.json", "v1-pod-create-with-annotations.json", "v1beta1-pod-create.json",
        "v1-pod-generatename.json", "v1-pod-delete-null-object.json", "v1-pod-update.json",
    ]

    static func engine() throws -> AdmissionEngine {
        AdmissionEngine(rules: try RuleSet([AnnotateDefaulter(), WholeObjectDefaulter(), ImagePolicyValidator()]))
    }

    @Test(arguments: fixtures)
    func everyTruncationIsABadRequestNeverACrash(_ file: String) async throws {
        let body = try Fixture.bytes(file)
        let engine = try Self.engine()
        let end = (body.lastIndex(of: UInt8(ascii: "}")) ?? 0) + 1  // the document without its final newline
        for cut in 0..<end {
            let outcome = await engine.process(Array(body[..<cut]), endpoint: .mutating)
            guard case .badRequest(let e) = outcome else {
                Issue.record("prefix of \(cut) bytes was accepted")
                continue
            }
            #expect(!e.message.isEmpty && !e.message.contains("\n"))
        }
    }

    /// Each field of the request replaced by values of every JSON type.
    @Test(arguments: ["uid", "kind", "resource", "subResource", "requestKind", "requestResource", "name", "namespace",
                      "operation", "userInfo", "object", "oldObject", "dryRun", "options"])
    func wrongTypesAreRejectedOrHandled(_ field: String) async throws {
        let engine = try Self.engine()
        let base = try JSONParser.parse(try Fixture.bytes("v1-pod-update.json"))
        let replacements: [JSONValue] = [.null, true, 7, "s", [], [1, "x"], [:], ["metadata": "x"]]
        for endpoint in AdmissionEndpoint.allCases {
            for replacement in replacements {
                guard case .object(var review) = base, case .object(var request)? = review["request"] else { return }
                request[field] = replacement
                review["request"] = .object(request)
                let body = JSONWriter.bytes(.object(review))
                switch await engine.process(body, endpoint: endpoint) {
                case .badRequest(let e):
                    #expect(!e.message.contains("\n"))
                case .reviewed(let r):
                    let problems = AdmissionContract.violations(request: r.review, response: r.bytes, endpoint: endpoint)
                    #expect(problems.isEmpty, "\(field)=\(replacement) \(endpoint): \(problems)")
                }
            }
        }
    }
}
