/// A Kubernetes object (or part of one) that does not have the expected shape.
/// `path` is a Kubernetes field path (`spec.resourcePolicy.containerPolicies[0].minAllowed.cpu`).
public struct ObjectDecodeError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, _ message: String) {
        self.path = path; self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }

    /// The same error below `prefix` (e.g. `items[3]`).
    public func under(_ prefix: String) -> ObjectDecodeError {
        guard !prefix.isEmpty else { return self }
        return ObjectDecodeError(path: path.isEmpty ? prefix : "\(prefix).\(path)", message)
    }
}
