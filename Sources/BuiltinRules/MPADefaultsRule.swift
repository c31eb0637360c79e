import AdmissionAPI
import AdmissionRules
import JSON
import JSONPatch
import MPA

/// `mpaDefaults` (mutating, §3): fills what an MPA leaves unset.
/// - `spec.policy` absent (or null) → `add /spec/policy {"updateMode": "Auto"}` (**fix**: upstream
///   wrote `/spec/updatePolicy`, which the CRD prunes);
/// - `spec.constraints.global` an object without `minReplicas` → `add …/minReplicas 1`.
/// Only when `spec` is an object; `spec.policy` present without `updateMode` is left for
/// `mpaValidation` to reject. Never denies.
///
///     parameters:
///       updateMode: Auto        # Off | Initial | Recreate | Auto (default Auto)
///       minReplicas: 1          # > 0 (default 1)
public struct MPADefaultsRule: Defaulter {
    public static let typeName = "mpaDefaults"

    public var name = MPADefaultsRule.typeName
    public var match = MPARuleMatch.mpaCreateUpdate
    public var updateMode: UpdateMode
    public var minReplicas: Int64

    public init(updateMode: UpdateMode = .auto, minReplicas: Int64 = 1) {
        self.updateMode = updateMode
        self.minReplicas = minReplicas
    }

    public init(parameters: JSONValue) throws(ConfigurationError) {
        let p = try ParameterReader(parameters, allowedKeys: ["updateMode", "minReplicas"])
        self.init()
        if let text = try p.string("updateMode") {
            guard let mode = UpdateMode(rawValue: text) else {
                throw ConfigurationError(path: "updateMode",
                                         "must be one of \(UpdateMode.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(text)\"")
            }
            updateMode = mode
        }
        if let n = try p.int("minReplicas") {
            guard n > 0 else { throw ConfigurationError(path: "minReplicas", "must be greater than 0, got \(n)") }
            minReplicas = n
        }
    }

    public func `default`(_ request: AdmissionRequest, object: JSONValue) async throws -> Defaulting {
        guard case .object(let spec)? = object["spec"] else { return .unchanged }
        var builder = ObjectPatchBuilder(object)
        if spec["policy"]?.isNull ?? true {
            try builder.set(["updateMode": .string(updateMode.rawValue)], at: JSONPointer(tokens: ["spec", "policy"]))
        }
        if case .object(let global)? = spec["constraints"]?["global"], global["minReplicas"]?.isNull ?? true {
            try builder.set(.number(JSONNumber(minReplicas)),
                            at: JSONPointer(tokens: ["spec", "constraints", "global", "minReplicas"]))
        }
        return builder.operations.isEmpty ? .unchanged : Defaulting(change: .patch(builder.operations))
    }
}
