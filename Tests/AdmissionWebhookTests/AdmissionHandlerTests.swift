import AdmissionAPI
import AdmissionRules
import AdmissionWebhook
import Foundation
import JSON
import JSONPatch
import Logging
import Testing
import WebhookHTTP

private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("AdmissionAPITests/Fixtures")

private func fixture(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name)))
}

/// Adds an annotation to pods; denies pods without a `team` label.
private struct TeamRule: Defaulter, Validator {
    var name = "team"
    var match = RuleMatch(resources: [RuleMatch.Resource(group: "", resource: "pods")], operations: [.create, .update, .delete])
    func `default`(_ request: AdmissionRequest, object: JSONValue) async throws -> Defaulting {
        var b = ObjectPatchBuilder(object)
        try b.setAnnotation("team.example.com/checked", "true")
        return Defaulting(change: .patch(b.operations))
    }
    func validateCreate(_ request: AdmissionRequest, object: JSONValue) async throws -> Validation {
        RuleMatch.labels(of: object)["team"] == nil
            ? Validation(violations: [Violation(field: "metadata.labels.team", message: "Required value", reason: "FieldValueRequired")])
            : .valid
    }
}

private final class Recorder: AdmissionObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [AdmissionDecision] = []
    func observe(_ decision: AdmissionDecision) { lock.withLock { stored.append(decision) } }
    var decisions: [AdmissionDecision] { lock.withLock { stored } }
}

private func handler(_ endpoint: AdmissionEndpoint, _ observer: Recorder) throws -> AdmissionHandler {
    AdmissionHandler(endpoint: endpoint, engine: AdmissionEngine(rules: try RuleSet([TeamRule()])),
                     logger: Logger(label: "test"), observer: observer)
}

private func post(_ body: [UInt8], contentType: String? = "application/json") -> HTTPRequest {
    var headers = HTTPHeaders()
    if let contentType { headers.add(name: "Content-Type", value: contentType) }
    return HTTPRequest(method: "POST", path: "/mutate", query: "timeout=10s", headers: headers, body: body)
}

struct AdmissionHandlerTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var fixture: String
        var endpoint: AdmissionEndpoint
        var result: AdmissionDecision.Result
        var testDescription: String { "\(endpoint.rawValue) \(fixture)" }
    }

    @Test(arguments: [
        Case(fixture: "v1-pod-create-no-annotations.json", endpoint: .mutating, result: .patched),
        Case(fixture: "v1beta1-pod-create.json", endpoint: .mutating, result: .patched),
        Case(fixture: "v1-pod-delete-null-object.json", endpoint: .mutating, result: .allowed),
        Case(fixture: "v1-pod-create-no-annotations.json", endpoint: .validating, result: .denied),
        Case(fixture: "v1-pod-delete-null-object.json", endpoint: .validating, result: .allowed),
    ])
    func answersEveryReviewWith200AndAContractValidBody(_ c: Case) async throws {
        let recorder = Recorder()
        let body = try fixture(c.fixture)
        let response = try await handler(c.endpoint, recorder).handle(post(body))
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/json")
        #expect(!response.body.isEmpty)
        let review = try AdmissionReview.decode(body)
        let problems = AdmissionContract.violations(request: review, response: response.body, endpoint: c.endpoint,
                                                    httpStatus: response.status)
        #expect(problems.isEmpty, "\(problems)")
        let d = try #require(recorder.decisions.first)
        #expect(recorder.decisions.count == 1)
        #expect(d.result == c.result)
        #expect(d.uid == review.request.uid)
        #expect(d.namespace == review.request.namespace && d.name == review.request.name)
        #expect(d.operation == review.request.operation)
        #expect(d.version == review.version)
        let ran = !(c.endpoint == .mutating && review.request.operation == .delete)
        #expect(d.report?.rules.map(\.rule) == (ran ? ["team"] : []))
        #expect(d.latency >= .zero)
    }

    @Test(arguments: [
        "application/json", "application/json; charset=utf-8", "Application/JSON", " application/json ;charset=UTF-8",
    ])
    func acceptsJSONMediaTypes(_ contentType: String) async throws {
        let response = try await handler(.mutating, Recorder()).handle(post(try fixture("v1-pod-update.json"), contentType: contentType))
        #expect(response.status == 200)
    }

    @Test(arguments: [
        (String?.none, "Content-Type must be application/json, got none\n"),
        ("text/plain", "Content-Type must be application/json, got \"text/plain\"\n"),
        ("application/jsonx", "Content-Type must be application/json, got \"application/jsonx\"\n"),
        ("application/yaml", "Content-Type must be application/json, got \"application/yaml\"\n"),
    ])
    func rejectsOtherMediaTypesWith415(_ contentType: String?, _ message: String) async throws {
        let recorder = Recorder()
        let response = try await handler(.mutating, recorder).handle(post(try fixture("v1-pod-update.json"), contentType: contentType))
        #expect(response.status == 415)
        #expect(String(decoding: response.body, as: UTF8.self) == message)
        #expect(recorder.decisions.first?.result == .unsupportedMediaType)
    }

    @Test(arguments: [
        ("malformed-not-json.txt", "body is not JSON: unexpected character at line 1, column 1\n"),
        ("malformed-missing-request.json", "request is required\n"),
        ("malformed-missing-uid.json", "request.uid is required\n"),
        ("malformed-unknown-apiversion.json",
         "unsupported apiVersion \"admission.k8s.io/v2\"; expected admission.k8s.io/v1 or admission.k8s.io/v1beta1\n"),
        ("malformed-trailing-garbage.json", "body is not JSON: unexpected data after the JSON value at line 1, column 211\n"),
        ("malformed-not-admissionreview.json",
         "unsupported apiVersion \"v1\"; expected admission.k8s.io/v1 or admission.k8s.io/v1beta1\n"),
    ])
    func rejectsBadBodiesWith400AndOneLine(_ file: String, _ message: String) async throws {
        let recorder = Recorder()
        let response = try await handler(.validating, recorder).handle(post(try fixture(file)))
        #expect(response.status == 400)
        #expect(response.headers["content-type"]?.hasPrefix("text/plain") == true)
        #expect(String(decoding: response.body, as: UTF8.self) == message)
        #expect(recorder.decisions.first?.result == .badRequest)
        #expect(recorder.decisions.first?.problem == String(message.dropLast()))
    }

    @Test func emptyBodyIs400NotAnEmpty200() async throws {
        let response = try await handler(.mutating, Recorder()).handle(post([]))
        #expect(response.status == 400)
        #expect(!response.body.isEmpty)
    }

    @Test func routerAnswers405ForOtherMethods() async throws {
        var router = Router()
        router.add("POST", "/mutate", try handler(.mutating, Recorder()))
        let response = await router.handle(HTTPRequest(method: "GET", path: "/mutate"))
        #expect(response.status == 405)
        #expect(response.headers["allow"] == "POST")
    }
}
