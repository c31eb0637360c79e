import JSON
import JSONPatch

/// Checks a response review against the twelve rules of `apiserver-contract.md`, the way
/// the apiserver would read it. Used by the tests on every response they produce; cheap
/// enough for a debug self-check.
public enum AdmissionContract {
    /// Every broken rule, as `rule N: what is wrong`; empty when the response is acceptable.
    /// `httpStatus` is the status the response was (or would be) sent with.
    public static func violations(request: AdmissionReview, response bytes: [UInt8],
                                  endpoint: AdmissionEndpoint, httpStatus: Int = 200) -> [String] {
        var problems: [String] = []
        func fail(_ rule: Int, _ message: String) { problems.append("rule \(rule): \(message)") }

        if !(200...206).contains(httpStatus) { fail(1, "HTTP status \(httpStatus)") }
        guard !bytes.isEmpty else { fail(2, "empty body"); return problems }
        let root: JSONValue
        do { root = try JSONParser.parse(bytes) } catch {
            fail(2, "body is not JSON: \(error.description)")
            return problems
        }
        guard case .object(let review) = root else { fail(2, "body is not an object"); return problems }
        guard case .object(let response)? = review["response"] else { fail(3, "no response object"); return problems }

        if review["apiVersion"] != .string(request.version.rawValue) {
            fail(4, "apiVersion \(review["apiVersion"]?.description ?? "missing"), asked \(request.version.rawValue)")
        }
        if review["kind"] != .string("AdmissionReview") { fail(4, "kind is not AdmissionReview") }
        if response["uid"] != .string(request.request.uid) {
            fail(5, "uid \(response["uid"]?.description ?? "missing") does not echo \(request.request.uid)")
        }

        let allowed = response["allowed"] == .bool(true)
        if let a = response["allowed"], a.boolValue == nil { fail(10, "allowed is not a boolean") }

        let patch = response["patch"]
        let patchType = response["patchType"]
        if (patch == nil) != (patchType == nil) { fail(6, "patch and patchType must come together") }
        if let patchType, patchType != .string("JSONPatch") { fail(6, "patchType is \(patchType), not \"JSONPatch\"") }
        if patch != nil || patchType != nil {
            if endpoint == .validating { fail(7, "validating response carries a patch") }
            if request.request.operation == .delete { fail(9, "patch on DELETE") }
            if !allowed { fail(9, "patch on a denial") }
        }
        if let patch {
            problems += patchProblems(patch, request: request.request)
        }

        if !allowed {
            guard case .object(let status)? = response["status"] else {
                fail(10, "denial without status")
                return problems
            }
            if let code = status["code"]?.int64Value, code >= 400 {} else { fail(10, "status.code missing or < 400") }
            if (status["message"]?.stringValue ?? "").isEmpty { fail(10, "status.message missing") }
            if (status["reason"]?.stringValue ?? "").isEmpty { fail(10, "status.reason missing") }
        }

        if let audit = response["auditAnnotations"] {
            if case .object(let o) = audit {
                for m in o {
                    if !ResponseSanitizer.isValidAuditAnnotationKey(m.key) { fail(11, "audit annotation key \"\(m.key)\"") }
                    if m.value.stringValue == nil { fail(11, "audit annotation \"\(m.key)\" is not a string") }
                }
            } else {
                fail(11, "auditAnnotations is not an object")
            }
        }

        if let warnings = response["warnings"] {
            if case .array(let list) = warnings {
                var total = 0
                for w in list {
                    guard let s = w.stringValue else { fail(12, "warning is not a string"); continue }
                    if s.unicodeScalars.contains(where: ResponseSanitizer.isControl) { fail(12, "warning has control characters") }
                    if s.utf8.count > AdmissionLimits.maxWarningBytes { fail(12, "warning longer than 256") }
                    total += s.utf8.count
                }
                if total > AdmissionLimits.maxTotalWarningBytes { fail(12, "warnings longer than 4096 in total") }
            } else {
                fail(12, "warnings is not a list")
            }
        }
        return problems
    }

    private static func patchProblems(_ patch: JSONValue, request: AdmissionRequest) -> [String] {
        guard case .string(let text) = patch else { return ["rule 8: patch is not a string"] }
        guard let decoded = Base64.decode(text) else { return ["rule 8: patch is not padded standard base64"] }
        let ops: [PatchOperation]
        do {
            ops = try JSONPatch.decode(try JSONParser.parse(decoded))
        } catch {
            return ["rule 8: patch is not a JSON Patch array: \(error)"]
        }
        guard let object = request.object else { return ["rule 9: patch for a request without object"] }
        do {
            let result = try JSONPatch.apply(ops, to: object)
            guard case .object = result else { return ["rule 9: patched result is a \(result.typeName)"] }
            for key in ["apiVersion", "kind"] where result[key] != object[key] {
                return ["rule 9: patch changes \(key)"]
            }
        } catch {
            return ["rule 9: patch does not apply to the sent object: \(error.description)"]
        }
        return []
    }
}
