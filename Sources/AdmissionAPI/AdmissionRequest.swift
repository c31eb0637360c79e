import JSON

/// `admission.k8s.io` group versions we speak; we answer in the version that was asked.
public enum AdmissionReviewVersion: String, Sendable, CaseIterable {
    case v1 = "admission.k8s.io/v1"
    case v1beta1 = "admission.k8s.io/v1beta1"
}

public enum AdmissionOperation: String, Sendable, Hashable, CaseIterable {
    case create = "CREATE"
    case update = "UPDATE"
    case delete = "DELETE"
    case connect = "CONNECT"
}

public struct GroupVersionKind: Sendable, Hashable {
    public var group: String
    public var version: String
    public var kind: String
    public init(group: String, version: String, kind: String) {
        self.group = group; self.version = version; self.kind = kind
    }
}

public struct GroupVersionResource: Sendable, Hashable {
    public var group: String
    public var version: String
    public var resource: String
    public init(group: String, version: String, resource: String) {
        self.group = group; self.version = version; self.resource = resource
    }
}

public struct UserInfo: Sendable, Hashable {
    public var username: String
    public var uid: String
    public var groups: [String]
    public var extra: [String: [String]]
    public init(username: String = "", uid: String = "", groups: [String] = [], extra: [String: [String]] = [:]) {
        self.username = username; self.uid = uid; self.groups = groups; self.extra = extra
    }
}

/// The `request` of an AdmissionReview. `object`/`oldObject`/`options` are nil when absent or `null`.
public struct AdmissionRequest: Sendable {
    /// Echoed byte for byte in the response.
    public var uid: String
    public var kind: GroupVersionKind
    public var resource: GroupVersionResource
    public var subResource: String
    public var requestKind: GroupVersionKind?
    public var requestResource: GroupVersionResource?
    public var requestSubResource: String
    public var name: String
    public var namespace: String
    public var operation: AdmissionOperation
    public var userInfo: UserInfo
    public var object: JSONValue?
    public var oldObject: JSONValue?
    public var dryRun: Bool
    public var options: JSONValue?

    public init(uid: String, kind: GroupVersionKind, resource: GroupVersionResource, subResource: String = "",
                requestKind: GroupVersionKind? = nil, requestResource: GroupVersionResource? = nil,
                requestSubResource: String = "", name: String = "", namespace: String = "",
                operation: AdmissionOperation, userInfo: UserInfo = UserInfo(), object: JSONValue? = nil,
                oldObject: JSONValue? = nil, dryRun: Bool = false, options: JSONValue? = nil) {
        self.uid = uid; self.kind = kind; self.resource = resource; self.subResource = subResource
        self.requestKind = requestKind; self.requestResource = requestResource
        self.requestSubResource = requestSubResource; self.name = name; self.namespace = namespace
        self.operation = operation; self.userInfo = userInfo; self.object = object
        self.oldObject = oldObject; self.dryRun = dryRun; self.options = options
    }
}
