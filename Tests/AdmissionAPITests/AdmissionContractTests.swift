import AdmissionAPI
import JSON
import Testing

/// The checker must catch each kind of broken response, or its silence elsewhere means nothing.
struct AdmissionContractTests {
    static let uid = "0df28fbd-5f5f-11e8-bc74-36e6bb280816"
    static func b64(_ s: String) -> String { Base64.encode(Array(s.utf8)) }
    static let goodPatch = b64(#"[{"op":"add","path":"/metadata/annotations","value":{"a":"b"}}]"#)

    @Test(arguments: [
        ("", AdmissionEndpoint.mutating, 200, "rule 2"),
        (#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"\#(uid)","allowed":true}}"#, .mutating, 500, "rule 1"),
        (#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}"#, .mutating, 200, "rule 3"),
        (#"{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","response":{"uid":"\#(uid)","allowed":true}}"#, .mutating, 200, "rule 4"),
        (#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"other","allowed":true}}"#, .mutating, 200, "rule 5"),
        (#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"\#(uid)","allowed":true,"patch":"\#(goodPatch)"}}"#, .mutating, 200, "rule 6"),
        (#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"\#(uid)","allowed":true,"patch":"\#(goodPatch)","patchType":"JSONPatch"}}"#, .validating, 200, "rule 7"),
        (#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"\#(uid)","allowed":true,"patch":"W10","patchType":"JSONPatch"}}"#, .mutating, 200, "rule 8"),
        (#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"\#(uid)","allowed":true,"patch":"\#(b64(#"[{"op":"add","path":"/metadata/annotations/a","value":"b"}]"#))","patchType":"JSONPatch"}}"#, .mutating, 200, "rule 9"),
        (#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"\#(uid)","allowed":true,"patch":"\#(b64(#"[{"op":"replace","path":"","value":[]}]"#))","patchType":"JSONPatch"}}"#, .mutating, 200, "rule 9"),
        (#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"\#(uid)","allowed":false}}"#, .mutating, 200, "rule 10"),
        (#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"\#(uid)","allowed":false,"status":{"code":200,"message":"m","reason":"r"}}}"#, .mutating, 200, "rule 10"),
        (#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"\#(uid)","allowed":true,"auditAnnotations":{"a/b":"c"}}}"#, .mutating, 200, "rule 11"),
        (#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"\#(uid)","allowed":true,"warnings":["a\u0007b"]}}"#, .mutating, 200, "rule 12"),
        (#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"\#(uid)","allowed":true,"warnings":["\#(String(repeating: "x", count: 257))"]}}"#, .mutating, 200, "rule 12"),
    ])
    func catchesBrokenResponses(_ body: String, _ endpoint: AdmissionEndpoint, _ status: Int, _ rule: String) throws {
        let review = try AdmissionReview.decode(try Fixture.bytes("v1-pod-create-no-annotations.json"))
        let problems = AdmissionContract.violations(request: review, response: Array(body.utf8),
                                                    endpoint: endpoint, httpStatus: status)
        #expect(problems.contains { $0.hasPrefix(rule + ":") }, "\(problems)")
    }

    @Test func patchOnDeleteIsCaught() throws {
        let review = try AdmissionReview.decode(try Fixture.bytes("v1-pod-delete-null-object.json"))
        let body = #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"delete-uid-9","allowed":true,"patch":"\#(Self.goodPatch)","patchType":"JSONPatch"}}"#
        let problems = AdmissionContract.violations(request: review, response: Array(body.utf8), endpoint: .mutating)
        #expect(problems.contains { $0.hasPrefix("rule 9:") })
    }
}
