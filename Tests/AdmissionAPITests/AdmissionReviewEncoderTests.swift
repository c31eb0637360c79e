import AdmissionAPI
import JSON
import JSONPatch
import Testing

struct AdmissionReviewEncoderTests {
    static func review(_ file: String) throws -> AdmissionReview {
        try AdmissionReview.decode(try Fixture.bytes(file))
    }

    /// Encodes, checks all contract rules, returns the text.
    static func encode(_ response: AdmissionResponse, for review: AdmissionReview,
                       endpoint: AdmissionEndpoint) -> (String, ResponseSanitization) {
        let out = AdmissionReviewEncoder.encode(response, version: review.version, endpoint: endpoint)
        let problems = AdmissionContract.violations(request: review, response: out.bytes, endpoint: endpoint)
        #expect(problems.isEmpty, "\(problems)")
        return (String(decoding: out.bytes, as: UTF8.self), out.sanitization)
    }

    static let annotate: [PatchOperation] = [
        .add(path: JSONPointer(tokens: ["metadata", "annotations"]), value: ["mpa.k8s.io/managed": "true"]),
    ]

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var file: String
        var endpoint: AdmissionEndpoint
        var response: @Sendable (String) -> AdmissionResponse
        var expected: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "allowed v1", file: "v1-pod-create-no-annotations.json", endpoint: .mutating,
             response: { .allowed(uid: $0) },
             expected: #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"0df28fbd-5f5f-11e8-bc74-36e6bb280816","allowed":true}}"#),
        Case(name: "allowed v1beta1 answers in v1beta1", file: "v1beta1-pod-create.json", endpoint: .validating,
             response: { .allowed(uid: $0) },
             expected: #"{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","response":{"uid":"beta-uid-1","allowed":true}}"#),
        Case(name: "patched v1", file: "v1-pod-create-no-annotations.json", endpoint: .mutating,
             response: { .patched(uid: $0, annotate) },
             expected: #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"0df28fbd-5f5f-11e8-bc74-36e6bb280816","allowed":true,"patch":""#
                + Base64.encode(Array(#"[{"op":"add","path":"/metadata/annotations","value":{"mpa.k8s.io/managed":"true"}}]"#.utf8))
                + #"","patchType":"JSONPatch"}}"#),
        Case(name: "patch never on validating", file: "v1-pod-create-no-annotations.json", endpoint: .validating,
             response: { .patched(uid: $0, annotate) },
             expected: #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"0df28fbd-5f5f-11e8-bc74-36e6bb280816","allowed":true}}"#),
        Case(name: "denied with details", file: "v1-pod-update.json", endpoint: .validating,
             response: { .denied(uid: $0, code: 422, reason: "Invalid", message: "Pod \"web-0\" is invalid: spec.image: latest",
                                 details: Status.Details(name: "web-0", kind: "Pod",
                                                         causes: [Status.Cause(reason: "FieldValueInvalid", message: "latest", field: "spec.image")])) },
             expected: #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"update-uid-3","allowed":false,"status":{"metadata":{},"status":"Failure","message":"Pod \"web-0\" is invalid: spec.image: latest","reason":"Invalid","details":{"name":"web-0","kind":"Pod","causes":[{"reason":"FieldValueInvalid","message":"latest","field":"spec.image"}]},"code":422}}}"#),
        Case(name: "errored", file: "v1-pod-delete-null-object.json", endpoint: .validating,
             response: { .errored(uid: $0, message: "rule \"x\" failed: boom") },
             expected: #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"delete-uid-9","allowed":false,"status":{"metadata":{},"status":"Failure","message":"rule \"x\" failed: boom","reason":"InternalError","code":500}}}"#),
        Case(name: "denial without status gets one", file: "v1-pod-update.json", endpoint: .mutating,
             response: { AdmissionResponse(uid: $0, allowed: false, patch: annotate) },
             expected: #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"update-uid-3","allowed":false,"status":{"metadata":{},"status":"Failure","message":"denied by the admission webhook","reason":"Forbidden","code":403}}}"#),
        Case(name: "warnings and sorted audit annotations", file: "v1-pod-generatename.json", endpoint: .mutating,
             response: { AdmissionResponse(uid: $0, allowed: true, warnings: ["first", "line\nbreak"],
                                           auditAnnotations: ["z-key": "2", "a.key_1": "1", "bad/key": "x"]) },
             expected: #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"gen-name-uid","allowed":true,"warnings":["first","line break"],"auditAnnotations":{"a.key_1":"1","z-key":"2"}}}"#),
    ]

    @Test(arguments: cases)
    func encodesExactBytes(_ c: Case) throws {
        let review = try Self.review(c.file)
        let (text, _) = Self.encode(c.response(review.request.uid), for: review, endpoint: c.endpoint)
        #expect(text == c.expected)
    }

    @Test func reportsWhatWasSanitised() throws {
        let review = try Self.review("v1-pod-create-no-annotations.json")
        let long = String(repeating: "é", count: 200)  // 400 bytes
        let many = Array(repeating: String(repeating: "w", count: 250), count: 20)  // 5000 bytes
        let response = AdmissionResponse(uid: review.request.uid, allowed: false,
                                         status: Status(code: 200, reason: "Odd", message: "two\nlines"),
                                         patch: Self.annotate,
                                         warnings: ["\u{7}bell", "   ", long] + many,
                                         auditAnnotations: ["ok": "1", "-bad": "2", String(repeating: "k", count: 64): "3"])
        let (text, notes) = Self.encode(response, for: review, endpoint: .mutating)
        #expect(notes.warningsCleaned == 1)
        #expect(notes.warningsTruncated == 1)
        #expect(notes.warningsDropped == 1 + 5)  // the blank one, then those past 4096 bytes
        #expect(notes.droppedAuditAnnotationKeys == ["-bad", String(repeating: "k", count: 64)])
        #expect(notes.patchDropped)
        #expect(notes.statusRepaired)
        #expect(!notes.isEmpty)
        let parsed = try JSONParser.parse(text)
        #expect(parsed["response"]?["status"]?["code"] == 500)
        #expect(parsed["response"]?["status"]?["message"] == "two lines")
        let warnings = parsed["response"]?["warnings"]?.arrayValue ?? []
        #expect(warnings.first == "bell")
        #expect(warnings[1].stringValue?.hasSuffix("…") == true)
        #expect((warnings[1].stringValue?.utf8.count ?? 0) <= 256)
    }

    @Test(arguments: [
        ("a", true), ("A-b_c.9", true), ("mpa-rule", true), (String(repeating: "x", count: 63), true),
        ("", false), ("a/b", false), ("-a", false), ("a-", false), ("a b", false), ("é", false),
        (String(repeating: "x", count: 64), false),
    ])
    func auditAnnotationKeys(_ key: String, _ valid: Bool) {
        #expect(ResponseSanitizer.isValidAuditAnnotationKey(key) == valid)
    }
}
