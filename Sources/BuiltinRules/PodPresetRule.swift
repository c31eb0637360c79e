import AdmissionAPI
import AdmissionRules
import JSON
import JSONPatch

/// `podPreset` (defaulting, pods): the old PodPreset admission plugin as a configured rule.
/// For pods matching `selector`, injects env vars, envFrom sources, volumes and volume
/// mounts into every container (init and regular) that lacks them.
///
///     parameters:
///       name: db-credentials        # recorded in the pod annotation (required)
///       generation: 3               # bump when the preset changes (default 1)
///       selector: {matchLabels: {role: api}}   # default: every pod
///       env: [{name: DB_HOST, value: db.prod.svc}]
///       envFrom: [{secretRef: {name: db-credentials}}]
///       volumes: [{name: db-ca, configMap: {name: db-ca}}]
///       volumeMounts: [{name: db-ca, mountPath: /etc/db-ca, readOnly: true}]
///
/// Never overwrites: an env var, volume or mount with the same name and a different value
/// (or another mount at the same path) stays as it is and is reported as a warning; mounts
/// of a conflicting volume are not injected. A pod annotated
/// `podpreset.admission.kubernetes.io/exclude: "true"` is left alone; an applied preset is
/// recorded as `podpreset.admission.kubernetes.io/podpreset-<name>: "<generation>"`.
public struct PodPresetRule: Defaulter {
    public static let typeName = "podPreset"
    public static let annotationPrefix = "podpreset.admission.kubernetes.io/"
    public static let excludeAnnotation = annotationPrefix + "exclude"

    public var name = PodPresetRule.typeName
    public var match = RuleMatch(resources: [RuleMatch.Resource(group: "", version: "v1", resource: "pods")],
                                 operations: [.create])
    public var presetName: String
    public var generation: Int64 = 1
    public var selector: LabelSelector?
    public var env: [JSONValue] = []
    public var envFrom: [JSONValue] = []
    public var volumes: [JSONValue] = []
    public var volumeMounts: [JSONValue] = []

    public init(presetName: String) { self.presetName = presetName }

    public var appliedAnnotation: String { Self.annotationPrefix + "podpreset-" + presetName }

    public init(parameters: JSONValue) throws(ConfigurationError) {
        let p = try ParameterReader(parameters, allowedKeys: ["name", "generation", "selector", "env", "envFrom",
                                                              "volumes", "volumeMounts"])
        guard let presetName = try p.string("name"), !presetName.isEmpty else {
            throw ConfigurationError(path: "name", "is required (the preset name recorded in the pod annotation)")
        }
        guard Self.isDNSLabel(presetName) else {
            throw ConfigurationError(path: "name", "\"\(presetName)\" must be a DNS label (lowercase letters, digits, '-', at most 53 characters)")
        }
        self.presetName = presetName
        if let g = try p.int("generation") {
            guard g >= 1 else { throw ConfigurationError(path: "generation", "must be at least 1, got \(g)") }
            generation = g
        }
        selector = try p.selector("selector")
        env = try Self.namedItems(p, "env", required: ["name"])
        envFrom = try Self.namedItems(p, "envFrom", required: [])
        volumes = try Self.namedItems(p, "volumes", required: ["name"])
        volumeMounts = try Self.namedItems(p, "volumeMounts", required: ["name", "mountPath"])
        guard !(env.isEmpty && envFrom.isEmpty && volumes.isEmpty && volumeMounts.isEmpty) else {
            throw ConfigurationError(path: "", "a preset needs at least one of env, envFrom, volumes, volumeMounts")
        }
    }

    // MARK: - defaulting

    public func `default`(_ request: AdmissionRequest, object pod: JSONValue) async throws -> Defaulting {
        if pod["metadata"]?["annotations"]?[Self.excludeAnnotation]?.stringValue == "true" { return .unchanged }
        if let selector, !selector.matches(RuleMatch.labels(of: pod)) { return .unchanged }

        var b = ObjectPatchBuilder(pod)
        var warnings: [String] = []
        func conflict(_ what: String) { warnings.append("podPreset \(presetName): \(what); preset value not applied") }

        // Pod volumes.
        var conflictedVolumes = Set<String>()
        let existingVolumes = try Self.list(pod["spec"]?["volumes"], "spec.volumes")
        var newVolumes: [JSONValue] = []
        for v in volumes {
            let n = v["name"]?.stringValue ?? ""
            if let have = existingVolumes.first(where: { $0["name"]?.stringValue == n }) {
                if have != v { conflict("volume \(n) already exists with a different definition"); conflictedVolumes.insert(n) }
            } else {
                newVolumes.append(v)
            }
        }
        try b.append(newVolumes, toListAt: JSONPointer(tokens: ["spec", "volumes"]))

        // Each container.
        for c in PodContainers.all(in: pod, lists: ["initContainers", "containers"]) {
            let label = "\(c.list == "containers" ? "container" : "init container") \(c.name)"
            var addEnv: [JSONValue] = []
            let haveEnv = try Self.list(c.value["env"], "\(c.field).env")
            for e in env {
                let n = e["name"]?.stringValue ?? ""
                if let have = haveEnv.first(where: { $0["name"]?.stringValue == n }) {
                    if have != e { conflict("\(label) already has env \(n) with a different value") }
                } else {
                    addEnv.append(e)
                }
            }
            try b.append(addEnv, toListAt: JSONPointer(tokens: c.tokens + ["env"]))

            let haveEnvFrom = try Self.list(c.value["envFrom"], "\(c.field).envFrom")
            try b.append(envFrom.filter { !haveEnvFrom.contains($0) }, toListAt: JSONPointer(tokens: c.tokens + ["envFrom"]))

            var addMounts: [JSONValue] = []
            let haveMounts = try Self.list(c.value["volumeMounts"], "\(c.field).volumeMounts")
            for m in volumeMounts {
                let n = m["name"]?.stringValue ?? ""
                let path = m["mountPath"]?.stringValue ?? ""
                if conflictedVolumes.contains(n) {
                    conflict("\(label): mount of volume \(n) skipped because the pod's volume \(n) differs from the preset's")
                } else if let have = haveMounts.first(where: { $0["name"]?.stringValue == n }) {
                    if have != m { conflict("\(label) already mounts volume \(n) differently") }
                } else if haveMounts.contains(where: { $0["mountPath"]?.stringValue == path }) {
                    conflict("\(label) already has a volume mounted at \(path)")
                } else {
                    addMounts.append(m)
                }
            }
            try b.append(addMounts, toListAt: JSONPointer(tokens: c.tokens + ["volumeMounts"]))
        }

        try b.setAnnotation(appliedAnnotation, String(generation))
        return Defaulting(change: .patch(b.operations), warnings: warnings)
    }

    // MARK: - helpers

    private static func list(_ value: JSONValue?, _ field: String) throws -> [JSONValue] {
        switch value {
        case nil, .null?: return []
        case .array(let a)?: return a
        case let other?: throw MalformedObject("\(field) is \(other.typeName), not a list")
        }
    }

    private static func namedItems(_ p: ParameterReader, _ key: String, required: [String]) throws(ConfigurationError) -> [JSONValue] {
        guard let v = p.value(key) else { return [] }
        guard case .array(let items) = v else { throw ConfigurationError(path: key, "must be a list, got \(v.typeName)") }
        var names = Set<String>()
        for (i, item) in items.enumerated() {
            guard case .object(let o) = item else {
                throw ConfigurationError(path: "\(key)[\(i)]", "must be an object, got \(item.typeName)")
            }
            for r in required {
                guard case .string(let s)? = o[r], !s.isEmpty else {
                    throw ConfigurationError(path: "\(key)[\(i)].\(r)", "is required (a non-empty string)")
                }
            }
            if let n = o["name"]?.stringValue, required.contains("name") {
                guard names.insert(n).inserted else { throw ConfigurationError(path: "\(key)[\(i)].name", "\"\(n)\" is listed twice") }
            }
        }
        return items
    }

    /// A DNS label short enough that `podpreset-<name>` is a valid annotation name (63 at most).
    static func isDNSLabel(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard !b.isEmpty, b.count <= 53 else { return false }
        func alnum(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7A) }
        guard let f = b.first, let l = b.last, alnum(f), alnum(l) else { return false }
        return b.allSatisfy { alnum($0) || $0 == UInt8(ascii: "-") }
    }
}
