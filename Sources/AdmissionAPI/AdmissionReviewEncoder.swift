import JSON
import JSONPatch

/// Writes a whole AdmissionReview response straight into bytes:
/// `{"apiVersion":…,"kind":"AdmissionReview","response":{"uid":…,"allowed":…,[status],
/// [patch,patchType],[warnings],[auditAnnotations]}}`.
///
/// It is the last line of defence for the apiserver contract: the patch is written only for
/// an allowed response on an endpoint that may patch, a denial always carries a status with
/// code ≥ 400, warnings and audit annotation keys are sanitised. What it changed is returned.
public enum AdmissionReviewEncoder {
    public struct Output: Sendable {
        public var bytes: [UInt8]
        public var sanitization: ResponseSanitization
    }

    public static func encode(_ response: AdmissionResponse, version: AdmissionReviewVersion,
                              endpoint: AdmissionEndpoint) -> Output {
        var notes = ResponseSanitization()
        var out: [UInt8] = []
        out.reserveCapacity(256)
        append(&out, #"{"apiVersion":"#)
        JSONWriter.writeString(version.rawValue, into: &out)
        append(&out, #","kind":"AdmissionReview","response":{"uid":"#)
        JSONWriter.writeString(response.uid, into: &out)
        append(&out, response.allowed ? #","allowed":true"# : #","allowed":false"#)

        var status = response.status
        if !response.allowed {
            if status == nil {
                status = Status(code: 403, reason: "Forbidden", message: "denied by the admission webhook")
                notes.statusRepaired = true
            } else if let s = status, s.code < 400 || s.code > 599 {
                status?.code = 500
                notes.statusRepaired = true
            }
        }
        if let status {
            append(&out, #","status":"#)
            writeStatus(status, allowed: response.allowed, into: &out)
        }

        if !response.patch.isEmpty {
            if response.allowed && endpoint == .mutating {
                append(&out, #","patch":""#)
                Base64.encode(JSONPatch.encode(response.patch), into: &out)
                append(&out, #"","patchType":"JSONPatch""#)
            } else {
                notes.patchDropped = true
            }
        }

        let warnings = ResponseSanitizer.sanitizeWarnings(response.warnings, into: &notes)
        if !warnings.isEmpty {
            append(&out, #","warnings":["#)
            for (i, w) in warnings.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONWriter.writeString(w, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        }

        // Sorted keys: byte-stable output from a dictionary.
        var wroteAudit = false
        for key in response.auditAnnotations.keys.sorted() {
            guard ResponseSanitizer.isValidAuditAnnotationKey(key) else {
                notes.droppedAuditAnnotationKeys.append(key)
                continue
            }
            append(&out, wroteAudit ? "," : #","auditAnnotations":{"#)
            wroteAudit = true
            JSONWriter.writeString(key, into: &out)
            out.append(UInt8(ascii: ":"))
            JSONWriter.writeString(response.auditAnnotations[key] ?? "", into: &out)
        }
        if wroteAudit { out.append(UInt8(ascii: "}")) }

        append(&out, "}}")
        return Output(bytes: out, sanitization: notes)
    }

    private static func writeStatus(_ s: Status, allowed: Bool, into out: inout [UInt8]) {
        append(&out, #"{"metadata":{},"status":"#)
        append(&out, allowed ? #""Success""# : #""Failure""#)
        append(&out, #","message":"#)
        JSONWriter.writeString(ResponseSanitizer.singleLine(s.message), into: &out)
        append(&out, #","reason":"#)
        JSONWriter.writeString(s.reason, into: &out)
        if let d = s.details {
            append(&out, #","details":{"#)
            var first = true
            for (key, value) in [("name", d.name), ("group", d.group), ("kind", d.kind)] where !value.isEmpty {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                JSONWriter.writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                JSONWriter.writeString(value, into: &out)
            }
            if !d.causes.isEmpty {
                if !first { out.append(UInt8(ascii: ",")) }
                append(&out, #""causes":["#)
                for (i, c) in d.causes.enumerated() {
                    if i > 0 { out.append(UInt8(ascii: ",")) }
                    append(&out, #"{"reason":"#)
                    JSONWriter.writeString(c.reason, into: &out)
                    append(&out, #","message":"#)
                    JSONWriter.writeString(c.message, into: &out)
                    append(&out, #","field":"#)
                    JSONWriter.writeString(c.field, into: &out)
                    out.append(UInt8(ascii: "}"))
                }
                out.append(UInt8(ascii: "]"))
            }
            out.append(UInt8(ascii: "}"))
        }
        append(&out, #","code":"#)
        append(&out, String(s.code))
        out.append(UInt8(ascii: "}"))
    }

    private static func append(_ out: inout [UInt8], _ text: String) {
        out.append(contentsOf: text.utf8)
    }
}
