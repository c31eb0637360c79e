import AdmissionAPI
import JSON

/// One suite file (`suite.yaml`): the rules configuration and state to run with, and cases.
///
///     name: required labels                # default: the directory name
///     config: ../../manifests/examples/rules.yaml   # relative to the suite file
///     state: state                         # cluster snapshot directory (optional)
///     namespaceLabels: {prod: {env: prod}} # labels for namespaceSelector (optional)
///     cases:
///       - name: pod without team label is denied
///         review: reviews/pod-no-team.json       # an AdmissionReview file, or:
///         object: {kind: Pod, ...} | objects/pod.yaml   # a bare object (inline or a file) plus
///         operation: CREATE                      #   operation (default CREATE), namespace,
///         namespace: prod                        #   name, oldObject, resource {group, version, resource}
///         endpoint: both                         # mutating | validating | both (default, apiserver order)
///         config: other.yaml                     # per-case config / state override
///         expect:
///           allowed: false
///           code: 422                            # status code of a denial
///           reason: Invalid
///           message: team                        # substring of the status message
///           warnings: [conflict]                 # substrings, one per warning ([] = none)
///           patched: {metadata: {labels: {a: b}}}  # subset of the patched object (or a file)
///           patchOperations: 2
///           rules: {requiredLabels: violations}  # rule -> patched|unchanged|valid|violations|error|skipped
public struct RuleSuite: Sendable {
    public var name: String
    /// The suite file's path.
    public var file: String
    public var config: String?
    public var state: String?
    public var namespaceLabels: [String: [String: String]]?
    public var cases: [SuiteCase]
}

public enum SuiteEndpoint: String, Sendable {
    case mutating, validating, both
}

public struct SuiteCase: Sendable {
    public var name: String
    /// 1-based line of the case in the suite file (for failure messages).
    public var line: Int?
    /// The AdmissionReview to send (given, or built from a bare object).
    public var review: JSONValue
    public var endpoint: SuiteEndpoint
    public var config: String?
    public var state: String?
    public var expect: Expectation
}

public struct Expectation: Sendable {
    public var allowed: Bool?
    public var code: Int?
    public var reason: String?
    public var message: String?
    public var warnings: [String]?
    public var patched: JSONValue?
    public var patchOperations: Int?
    public var rules: [(rule: String, result: String)]?

    public init() {}

    public var isEmpty: Bool {
        allowed == nil && code == nil && reason == nil && message == nil && warnings == nil
            && patched == nil && patchOperations == nil && rules == nil
    }
}
