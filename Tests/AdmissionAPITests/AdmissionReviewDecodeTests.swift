import AdmissionAPI
import JSON
import Testing

struct AdmissionReviewDecodeTests {
    struct Valid: Sendable, CustomTestStringConvertible {
        var file: String
        var version: AdmissionReviewVersion
        var uid: String
        var operation: AdmissionOperation
        var name: String
        var namespace: String
        var hasObject: Bool
        var hasOldObject: Bool
        var hasOptions: Bool
        var dryRun: Bool
        var username: String
        var testDescription: String { file }
    }

    static let valid: [Valid] = [
        Valid(file: "v1-pod-create-no-annotations.json", version: .v1, uid: "0df28fbd-5f5f-11e8-bc74-36e6bb280816",
              operation: .create, name: "web-0", namespace: "prod", hasObject: true, hasOldObject: false,
              hasOptions: true, dryRun: false, username: "system:serviceaccount:kube-system:statefulset-controller"),
        Valid(file: "v1-pod-create-with-annotations.json", version: .v1, uid: "7b1b6e8a-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
              operation: .create, name: "api-7d9f", namespace: "prod", hasObject: true, hasOldObject: false,
              hasOptions: true, dryRun: true, username: "system:serviceaccount:kube-system:replicaset-controller"),
        Valid(file: "v1beta1-pod-create.json", version: .v1beta1, uid: "beta-uid-1", operation: .create,
              name: "legacy-1", namespace: "legacy", hasObject: true, hasOldObject: false, hasOptions: false,
              dryRun: false, username: "admin"),
        Valid(file: "v1-pod-generatename.json", version: .v1, uid: "gen-name-uid", operation: .create,
              name: "", namespace: "prod", hasObject: true, hasOldObject: false, hasOptions: true,
              dryRun: false, username: "system:serviceaccount:kube-system:replicaset-controller"),
        Valid(file: "v1-pod-delete-null-object.json", version: .v1, uid: "delete-uid-9", operation: .delete,
              name: "web-0", namespace: "prod", hasObject: false, hasOldObject: true, hasOptions: true,
              dryRun: false, username: "alice"),
        Valid(file: "v1-pod-update.json", version: .v1, uid: "update-uid-3", operation: .update,
              name: "web-0", namespace: "prod", hasObject: true, hasOldObject: true, hasOptions: true,
              dryRun: false, username: "alice"),
    ]

    @Test(arguments: valid)
    func decodesRecordedReviews(_ c: Valid) throws {
        let review = try AdmissionReview.decode(try Fixture.bytes(c.file))
        let r = review.request
        #expect(review.version == c.version)
        #expect(r.uid == c.uid)
        #expect(r.operation == c.operation)
        #expect(r.name == c.name)
        #expect(r.namespace == c.namespace)
        #expect((r.object != nil) == c.hasObject)
        #expect((r.oldObject != nil) == c.hasOldObject)
        #expect((r.options != nil) == c.hasOptions)
        #expect(r.dryRun == c.dryRun)
        #expect(r.userInfo.username == c.username)
        #expect(r.kind == GroupVersionKind(group: "", version: "v1", kind: "Pod"))
        #expect(r.resource == GroupVersionResource(group: "", version: "v1", resource: "pods"))
    }

    @Test func decodesEveryRequestField() throws {
        let r = try AdmissionReview.decode(try Fixture.bytes("v1-pod-create-with-annotations.json")).request
        #expect(r.requestKind == GroupVersionKind(group: "", version: "v1", kind: "Pod"))
        #expect(r.requestResource == GroupVersionResource(group: "", version: "v1", resource: "pods"))
        #expect(r.subResource == "")
        #expect(r.requestSubResource == "")
        #expect(r.userInfo.uid == "a1b2")
        #expect(r.userInfo.groups == ["system:serviceaccounts", "system:authenticated"])
        #expect(r.userInfo.extra == ["authentication.kubernetes.io/pod-name": ["kube-controller-manager-0"]])
        #expect(r.object?["metadata"]?["annotations"]?["team~x/y"] == "core")
        #expect(r.options?["dryRun"] == ["All"])
    }

    struct Malformed: Sendable, CustomTestStringConvertible {
        var file: String
        var message: String
        var testDescription: String { file }
    }

    static let malformed: [Malformed] = [
        Malformed(file: "malformed-not-json.txt", message: "body is not JSON: unexpected character at line 1, column 1"),
        Malformed(file: "malformed-not-admissionreview.json",
                  message: "unsupported apiVersion \"v1\"; expected admission.k8s.io/v1 or admission.k8s.io/v1beta1"),
        Malformed(file: "malformed-missing-request.json", message: "request is required"),
        Malformed(file: "malformed-missing-uid.json", message: "request.uid is required"),
        Malformed(file: "malformed-empty-uid.json", message: "request.uid is required"),
        Malformed(file: "malformed-unknown-apiversion.json",
                  message: "unsupported apiVersion \"admission.k8s.io/v2\"; expected admission.k8s.io/v1 or admission.k8s.io/v1beta1"),
        Malformed(file: "malformed-trailing-garbage.json",
                  message: "body is not JSON: unexpected data after the JSON value at line 1, column 211"),
        Malformed(file: "malformed-bad-operation.json",
                  message: "request.operation \"PATCH\" is not one of CREATE, UPDATE, DELETE, CONNECT"),
        Malformed(file: "malformed-object-not-object.json", message: "request.object must be an object or null, got string"),
        Malformed(file: "malformed-duplicate-key.json",
                  message: "body is not JSON: duplicate key \"kind\" at line 1, column 62"),
    ]

    @Test(arguments: malformed)
    func rejectsMalformedBodiesWithOneLine(_ c: Malformed) throws {
        let error = #expect(throws: AdmissionReviewDecodeError.self) {
            try AdmissionReview.decode(try Fixture.bytes(c.file))
        }
        #expect(error?.message == c.message)
        #expect(error?.message.contains("\n") == false)
    }

    @Test(arguments: [
        ("", "body is empty; expected an AdmissionReview"),
        (" \n", "body is empty; expected an AdmissionReview"),
        ("[]", "body is not an AdmissionReview: expected a JSON object, got array"),
        (#"{"apiVersion":"admission.k8s.io/v1","kind":"Pod","request":{}}"#, "unsupported kind \"Pod\"; expected AdmissionReview"),
        (#"{"kind":"AdmissionReview"}"#, "apiVersion is required; expected admission.k8s.io/v1 or admission.k8s.io/v1beta1"),
        (#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":[]}"#, "request must be an object, got array"),
        (#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":7}}"#, "request.uid must be a string, got number"),
        (#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","resource":{"version":"v1","resource":"pods"},"operation":"CREATE"}}"#,
         "request.kind is required"),
        (#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","kind":{"version":"v1"},"resource":{"version":"v1","resource":"pods"},"operation":"CREATE"}}"#,
         "request.kind.kind is required"),
        (#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","kind":{"version":"v1","kind":"Pod"},"resource":{"version":"v1","resource":"pods"},"operation":"CREATE","dryRun":"yes"}}"#,
         "request.dryRun must be a boolean, got string"),
        (#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","kind":{"version":"v1","kind":"Pod"},"resource":{"version":"v1","resource":"pods"},"operation":"CREATE","userInfo":{"groups":["a",1]}}}"#,
         "request.userInfo.groups[1] must be a string, got number"),
        // Paths are only spelled out when a message needs them: every level still appears.
        (#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","kind":{"version":"v1","kind":"Pod"},"resource":{"version":"v1","resource":"pods"},"requestResource":{"version":"v1"},"operation":"CREATE"}}"#,
         "request.requestResource.resource is required"),
        (#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","kind":{"version":"v1","kind":"Pod"},"resource":{"version":"v1","resource":"pods"},"requestKind":{"version":"v1","kind":3},"operation":"CREATE"}}"#,
         "request.requestKind.kind must be a string, got number"),
        (#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","kind":{"version":"v1","kind":"Pod"},"resource":{"version":"v1","resource":"pods"},"operation":"CREATE","userInfo":"me"}}"#,
         "request.userInfo must be an object, got string"),
        (#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","kind":{"version":"v1","kind":"Pod"},"resource":{"version":"v1","resource":"pods"},"operation":"CREATE","userInfo":{"extra":[]}}}"#,
         "request.userInfo.extra must be an object, got array"),
        (#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","kind":{"version":"v1","kind":"Pod"},"resource":{"version":"v1","resource":"pods"},"operation":"CREATE","userInfo":{"extra":{"k":"v"}}}}"#,
         "request.userInfo.extra.k must be a list of strings, got string"),
    ])
    func rejectsInlineBodies(_ body: String, _ message: String) {
        let error = #expect(throws: AdmissionReviewDecodeError.self) { try AdmissionReview.decode(Array(body.utf8)) }
        #expect(error?.message == message)
    }

    @Test func messagesStayOneLineWhateverTheInput() {
        let body = #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","kind":{"version":"v1","kind":"Pod"},"resource":{"version":"v1","resource":"pods"},"operation":"CREATE","userInfo":{"extra":{"a\nb":[1]}}}}"#
        let error = #expect(throws: AdmissionReviewDecodeError.self) { try AdmissionReview.decode(Array(body.utf8)) }
        #expect(error?.message == "request.userInfo.extra.a b[0] must be a string, got number")
        let dup = #"{"a\u000Ab":1,"a\nb":2}"#
        let e2 = #expect(throws: AdmissionReviewDecodeError.self) { try AdmissionReview.decode(Array(dup.utf8)) }
        #expect(e2?.message.contains("\n") == false)
    }

    @Test func nullObjectsAndAbsentOptionalFieldsAreNil() throws {
        let body = #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","kind":{"version":"v1","kind":"Pod"},"resource":{"version":"v1","resource":"pods"},"operation":"CONNECT","object":null,"oldObject":null,"options":null,"dryRun":null,"unknownField":{"x":1}}}"#
        let r = try AdmissionReview.decode(Array(body.utf8)).request
        #expect(r.object == nil && r.oldObject == nil && r.options == nil)
        #expect(r.dryRun == false)
        #expect(r.operation == .connect)
        #expect(r.kind.group == "")
    }
}
