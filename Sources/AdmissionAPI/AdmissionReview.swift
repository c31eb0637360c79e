import JSON

/// A decoded AdmissionReview request: the version it was sent in (we answer in the same)
/// and its `request`.
public struct AdmissionReview: Sendable {
    public var version: AdmissionReviewVersion
    public var request: AdmissionRequest

    public init(version: AdmissionReviewVersion, request: AdmissionRequest) {
        self.version = version
        self.request = request
    }

    /// Decodes `admission.k8s.io/v1` or `v1beta1` AdmissionReview bytes.
    /// Unknown fields are ignored; fields we know must have the right type.
    public static func decode(_ bytes: [UInt8]) throws(AdmissionReviewDecodeError) -> AdmissionReview {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            throw AdmissionReviewDecodeError("body is empty; expected an AdmissionReview")
        }
        let root: JSONValue
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            throw AdmissionReviewDecodeError("body is not JSON: \(error.description)")
        }
        return try decode(root)
    }

    /// Decodes an already parsed AdmissionReview.
    public static func decode(_ root: JSONValue) throws(AdmissionReviewDecodeError) -> AdmissionReview {
        guard case .object(let review) = root else {
            throw AdmissionReviewDecodeError("body is not an AdmissionReview: expected a JSON object, got \(root.typeName)")
        }
        let expected = "expected admission.k8s.io/v1 or admission.k8s.io/v1beta1"
        let version: AdmissionReviewVersion
        switch review["apiVersion"] {
        case nil, .null?:
            throw AdmissionReviewDecodeError("apiVersion is required; \(expected)")
        case .string(let text)?:
            guard let v = AdmissionReviewVersion(rawValue: text) else {
                throw AdmissionReviewDecodeError("unsupported apiVersion \(quote(text)); \(expected)")
            }
            version = v
        case let other?:
            throw AdmissionReviewDecodeError("apiVersion must be a string, got \(other.typeName); \(expected)")
        }
        switch review["kind"] {
        case .string("AdmissionReview")?:
            break
        case .string(let text)?:
            throw AdmissionReviewDecodeError("unsupported kind \(quote(text)); expected AdmissionReview")
        case nil, .null?:
            throw AdmissionReviewDecodeError("kind is required; expected AdmissionReview")
        case let other?:
            throw AdmissionReviewDecodeError("kind must be a string, got \(other.typeName); expected AdmissionReview")
        }
        guard let requestValue = review["request"], !requestValue.isNull else {
            throw AdmissionReviewDecodeError("request is required")
        }
        let request = try decodeRequest(FieldReader(requestValue, path: "request"))
        return AdmissionReview(version: version, request: request)
    }

    private static func decodeRequest(_ r: FieldReader) throws(AdmissionReviewDecodeError) -> AdmissionRequest {
        let o = try r.object()
        guard let uid = try o.string("uid"), !uid.isEmpty else {
            throw AdmissionReviewDecodeError("request.uid is required")
        }
        guard let kind = try o.child("kind").map({ (k) throws(AdmissionReviewDecodeError) in try gvk(k) }) else {
            throw AdmissionReviewDecodeError("request.kind is required")
        }
        guard let resource = try o.child("resource").map({ (k) throws(AdmissionReviewDecodeError) in try gvr(k) }) else {
            throw AdmissionReviewDecodeError("request.resource is required")
        }
        guard let opText = try o.string("operation") else {
            throw AdmissionReviewDecodeError("request.operation is required")
        }
        guard let operation = AdmissionOperation(rawValue: opText) else {
            throw AdmissionReviewDecodeError(
                "request.operation \(quote(opText)) is not one of CREATE, UPDATE, DELETE, CONNECT")
        }
        let requestKind = try o.child("requestKind").map { (k) throws(AdmissionReviewDecodeError) in try gvk(k) }
        let requestResource = try o.child("requestResource").map { (k) throws(AdmissionReviewDecodeError) in try gvr(k) }
        let userInfo = try o.child("userInfo").map { (u) throws(AdmissionReviewDecodeError) in try decodeUserInfo(u) }
        return AdmissionRequest(
            uid: uid, kind: kind, resource: resource,
            subResource: try o.string("subResource") ?? "",
            requestKind: requestKind, requestResource: requestResource,
            requestSubResource: try o.string("requestSubResource") ?? "",
            name: try o.string("name") ?? "",
            namespace: try o.string("namespace") ?? "",
            operation: operation,
            userInfo: userInfo ?? UserInfo(),
            object: try o.objectOrNull("object"),
            oldObject: try o.objectOrNull("oldObject"),
            dryRun: try o.bool("dryRun") ?? false,
            options: try o.objectOrNull("options"))
    }

    private static func gvk(_ r: FieldReader) throws(AdmissionReviewDecodeError) -> GroupVersionKind {
        let o = try r.object()
        guard let version = try o.string("version"), !version.isEmpty else {
            throw AdmissionReviewDecodeError("\(r.path).version is required")
        }
        guard let kind = try o.string("kind"), !kind.isEmpty else {
            throw AdmissionReviewDecodeError("\(r.path).kind is required")
        }
        return GroupVersionKind(group: try o.string("group") ?? "", version: version, kind: kind)
    }

    private static func gvr(_ r: FieldReader) throws(AdmissionReviewDecodeError) -> GroupVersionResource {
        let o = try r.object()
        guard let version = try o.string("version"), !version.isEmpty else {
            throw AdmissionReviewDecodeError("\(r.path).version is required")
        }
        guard let resource = try o.string("resource"), !resource.isEmpty else {
            throw AdmissionReviewDecodeError("\(r.path).resource is required")
        }
        return GroupVersionResource(group: try o.string("group") ?? "", version: version, resource: resource)
    }

    private static func decodeUserInfo(_ r: FieldReader) throws(AdmissionReviewDecodeError) -> UserInfo {
        let o = try r.object()
        var extra: [String: [String]] = [:]
        if let e = try o.child("extra") {
            let eo = try e.object()
            for member in eo.members {
                extra[member.key] = try eo.stringList(member.key) ?? []
            }
        }
        return UserInfo(username: try o.string("username") ?? "", uid: try o.string("uid") ?? "",
                        groups: try o.stringList("groups") ?? [], extra: extra)
    }

    /// `s` as a double-quoted JSON string, for messages (`"web-1"`).
    public static func quote(_ s: String) -> String {
        var out: [UInt8] = []
        JSONWriter.writeString(s, into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

/// Where a value sits in the review, for error messages: a parent path and the key under it.
/// The text (`request.userInfo`) is only built when a message needs it; most paths are longer
/// than an inline string, so building them for every field cost an allocation each.
struct FieldPath {
    let parent: String
    let key: String?

    init(_ root: String) {
        parent = root
        key = nil
    }

    init(parent: FieldPath, key: String) {
        self.parent = parent.text
        self.key = key
    }

    var text: String { key.map { "\(parent).\($0)" } ?? parent }
}

/// Typed field access with the JSON path in every error; `null` counts as absent.
struct FieldReader {
    let value: JSONValue
    let location: FieldPath

    var path: String { location.text }

    init(_ value: JSONValue, path: String) {
        self.value = value
        self.location = FieldPath(path)
    }

    init(_ value: JSONValue, location: FieldPath) {
        self.value = value
        self.location = location
    }

    func object() throws(AdmissionReviewDecodeError) -> ObjectReader {
        guard case .object(let o) = value else {
            throw AdmissionReviewDecodeError("\(path) must be an object, got \(value.typeName)")
        }
        return ObjectReader(object: o, location: location)
    }
}

struct ObjectReader {
    let object: JSONObject
    let location: FieldPath

    var path: String { location.text }

    var members: [JSONObject.Member] { object.members }

    private func present(_ key: String) -> JSONValue? {
        guard let v = object[key], !v.isNull else { return nil }
        return v
    }

    private func mismatch(_ key: String, _ expected: String, _ got: JSONValue) -> AdmissionReviewDecodeError {
        AdmissionReviewDecodeError("\(path).\(key) must be \(expected), got \(got.typeName)")
    }

    func child(_ key: String) throws(AdmissionReviewDecodeError) -> FieldReader? {
        present(key).map { FieldReader($0, location: FieldPath(parent: location, key: key)) }
    }

    func string(_ key: String) throws(AdmissionReviewDecodeError) -> String? {
        guard let v = present(key) else { return nil }
        guard case .string(let s) = v else { throw mismatch(key, "a string", v) }
        return s
    }

    func bool(_ key: String) throws(AdmissionReviewDecodeError) -> Bool? {
        guard let v = present(key) else { return nil }
        guard case .bool(let b) = v else { throw mismatch(key, "a boolean", v) }
        return b
    }

    func stringList(_ key: String) throws(AdmissionReviewDecodeError) -> [String]? {
        guard let v = present(key) else { return nil }
        guard case .array(let elements) = v else { throw mismatch(key, "a list of strings", v) }
        var out: [String] = []
        out.reserveCapacity(elements.count)
        for (i, e) in elements.enumerated() {
            guard case .string(let s) = e else {
                throw AdmissionReviewDecodeError("\(path).\(key)[\(i)] must be a string, got \(e.typeName)")
            }
            out.append(s)
        }
        return out
    }

    func objectOrNull(_ key: String) throws(AdmissionReviewDecodeError) -> JSONValue? {
        guard let v = present(key) else { return nil }
        guard case .object = v else { throw mismatch(key, "an object or null", v) }
        return v
    }
}
