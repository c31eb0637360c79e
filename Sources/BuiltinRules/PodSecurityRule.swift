import AdmissionAPI
import AdmissionRules
import JSON

/// `podSecurity` (validating, pods): a configurable list of Pod Security Standards style checks.
///
///     parameters:
///       checks: [privileged, hostPath, hostNetwork, hostPID, hostIPC,
///                allowPrivilegeEscalation, runAsNonRoot, capabilities]
///       allowedCapabilities: [NET_BIND_SERVICE]   # for `capabilities` (default: the baseline list)
///       allowedHostPaths: [/var/log]             # for `hostPath`: allowed path prefixes (default none)
///
/// Default checks: the baseline ones (privileged, hostPath, hostNetwork, hostPID, hostIPC,
/// capabilities). `allowPrivilegeEscalation` and `runAsNonRoot` follow the restricted
/// profile: they must be set explicitly (false / true). On UPDATE only violations the update
/// introduces are denied (e.g. adding a privileged ephemeral container).
public struct PodSecurityRule: Validator {
    public static let typeName = "podSecurity"

    public enum Check: String, Sendable, CaseIterable {
        case privileged, hostPath, hostNetwork, hostPID, hostIPC, allowPrivilegeEscalation, runAsNonRoot, capabilities
    }

    public static let baselineChecks: [Check] = [.privileged, .hostPath, .hostNetwork, .hostPID, .hostIPC, .capabilities]
    /// Capabilities the Pod Security Standards baseline allows adding.
    public static let baselineCapabilities: Set<String> = [
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE",
        "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
    ]

    public var name = PodSecurityRule.typeName
    public var match = RuleMatch(resources: [RuleMatch.Resource(group: "", version: "v1", resource: "pods"),
                                             RuleMatch.Resource(group: "", version: "v1", resource: "pods/ephemeralcontainers")],
                                 operations: [.create, .update])
    public var checks: [Check]
    public var allowedCapabilities: Set<String>
    public var allowedHostPaths: [String]

    public init(checks: [Check] = PodSecurityRule.baselineChecks, allowedCapabilities: Set<String> = PodSecurityRule.baselineCapabilities,
                allowedHostPaths: [String] = []) {
        self.checks = checks; self.allowedCapabilities = allowedCapabilities; self.allowedHostPaths = allowedHostPaths
    }

    public init(parameters: JSONValue) throws(ConfigurationError) {
        let p = try ParameterReader(parameters, allowedKeys: ["checks", "allowedCapabilities", "allowedHostPaths"])
        self.init()
        if let names = try p.strings("checks") {
            guard !names.isEmpty else { throw ConfigurationError(path: "checks", "must list at least one check") }
            var out: [Check] = []
            for (i, n) in names.enumerated() {
                guard let c = Check(rawValue: n) else {
                    throw ConfigurationError(path: "checks[\(i)]",
                                             "unknown check \"\(n)\"; expected one of \(Check.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                if !out.contains(c) { out.append(c) }
            }
            checks = out
        }
        if let caps = try p.strings("allowedCapabilities") { allowedCapabilities = Set(caps) }
        if let paths = try p.strings("allowedHostPaths") {
            for (i, path) in paths.enumerated() where !path.hasPrefix("/") {
                throw ConfigurationError(path: "allowedHostPaths[\(i)]", "\"\(path)\" must be an absolute path")
            }
            allowedHostPaths = paths
        }
    }

    // MARK: - checks

    public func violations(of pod: JSONValue) -> [Violation] {
        var out: [Violation] = []
        let spec = pod["spec"]
        let podContext = spec?["securityContext"]
        let containers = PodContainers.all(in: pod)
        for check in checks {
            switch check {
            case .hostNetwork, .hostPID, .hostIPC:
                if spec?[check.rawValue]?.boolValue == true {
                    out.append(Violation(field: "spec.\(check.rawValue)", message: "\(check.rawValue) is not allowed",
                                         reason: "FieldValueForbidden"))
                }
            case .hostPath:
                guard case .array(let volumes)? = spec?["volumes"] else { continue }
                for (i, v) in volumes.enumerated() {
                    guard let hp = v["hostPath"], !hp.isNull else { continue }
                    let path = hp["path"]?.stringValue ?? ""
                    if !allowedHostPaths.contains(where: { Self.isUnder(path, prefix: $0) }) {
                        out.append(Violation(field: "spec.volumes[\(i)].hostPath",
                                             message: "hostPath volume \(AdmissionReview.quote(path)) is not allowed",
                                             reason: "FieldValueForbidden"))
                    }
                }
            case .privileged:
                for c in containers where c.value["securityContext"]?["privileged"]?.boolValue == true {
                    out.append(Violation(field: "\(c.field).securityContext.privileged",
                                         message: "privileged containers are not allowed", reason: "FieldValueForbidden"))
                }
            case .allowPrivilegeEscalation:
                for c in containers where c.value["securityContext"]?["allowPrivilegeEscalation"]?.boolValue != false {
                    out.append(Violation(field: "\(c.field).securityContext.allowPrivilegeEscalation",
                                         message: "must be set to false", reason: "FieldValueInvalid"))
                }
            case .runAsNonRoot:
                let podNonRoot = podContext?["runAsNonRoot"]?.boolValue
                if podContext?["runAsUser"]?.int64Value == 0 {
                    out.append(Violation(field: "spec.securityContext.runAsUser", message: "must not be 0 (root)"))
                }
                for c in containers {
                    let sc = c.value["securityContext"]
                    if (sc?["runAsNonRoot"]?.boolValue ?? podNonRoot) != true {
                        out.append(Violation(field: "\(c.field).securityContext.runAsNonRoot",
                                             message: "must be true (on the container or the pod)"))
                    }
                    if sc?["runAsUser"]?.int64Value == 0 {
                        out.append(Violation(field: "\(c.field).securityContext.runAsUser", message: "must not be 0 (root)"))
                    }
                }
            case .capabilities:
                for c in containers {
                    guard case .array(let added)? = c.value["securityContext"]?["capabilities"]?["add"] else { continue }
                    for (i, cap) in added.enumerated() {
                        let text = cap.stringValue ?? ""
                        if !allowedCapabilities.contains(text) {
                            out.append(Violation(field: "\(c.field).securityContext.capabilities.add[\(i)]",
                                                 message: "adding capability \(AdmissionReview.quote(text)) is not allowed",
                                                 reason: "FieldValueForbidden"))
                        }
                    }
                }
            }
        }
        return out
    }

    /// `path` equals `prefix` or lies below it, by whole path components; a path with a
    /// `..` component is never under anything.
    static func isUnder(_ path: String, prefix: String) -> Bool {
        if path.split(separator: "/").contains("..") { return false }
        let p = prefix.count > 1 && prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        if p == "/" { return path.hasPrefix("/") }
        return path == p || path.hasPrefix(p + "/")
    }

    public func validateCreate(_ request: AdmissionRequest, object: JSONValue) async throws -> Validation {
        Validation(violations: violations(of: object))
    }

    public func validateUpdate(_ request: AdmissionRequest, object: JSONValue, oldObject: JSONValue) async throws -> Validation {
        Validation(violations: ValidationRatchet.introduced(violations(of: object), comparedTo: violations(of: oldObject)))
    }
}
