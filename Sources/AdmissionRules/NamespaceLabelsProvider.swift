/// Where the engine gets a namespace's labels for `RuleMatch.namespaceSelector`.
///
/// `nil` means "unknown" (no cache entry, lookup failed): a non-empty namespace selector
/// then does NOT match, so the rule is skipped rather than guessed at.
public protocol NamespaceLabelsProvider: Sendable {
    func labels(ofNamespace name: String) async -> [String: String]?
}

/// A fixed table of namespace labels (tests, the `review` command, snapshots).
public struct StaticNamespaceLabels: NamespaceLabelsProvider {
    public var table: [String: [String: String]]
    public init(_ table: [String: [String: String]]) { self.table = table }
    public func labels(ofNamespace name: String) async -> [String: String]? { table[name] }
}
