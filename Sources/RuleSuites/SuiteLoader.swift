import AdmissionAPI
import AdmissionRules
import Foundation
import JSON
import YAMLValue

/// A suite file that cannot be used; `description` names the file, line and key.
public struct SuiteLoadError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Finds and reads suite files (`suite.yaml` / `suite.yml` / `suite.json`). Unknown keys and
/// wrong types are errors naming the file and line, like the rules configuration.
public enum SuiteLoader {
    public static let fileNames = ["suite.yaml", "suite.yml", "suite.json"]

    /// `path` is a suite file, or a directory searched (recursively, sorted) for suite files.
    public static func discover(_ path: String) throws(SuiteLoadError) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw SuiteLoadError("\(path): no such file or directory")
        }
        guard isDirectory.boolValue else { return [path] }
        guard let walker = FileManager.default.enumerator(atPath: path) else {
            throw SuiteLoadError("\(path): cannot list directory")
        }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            let last = (relative as NSString).lastPathComponent
            if fileNames.contains(last) { found.append(join(path, relative)) }
        }
        guard !found.isEmpty else {
            throw SuiteLoadError("\(path): no \(fileNames.joined(separator: " / ")) found")
        }
        return found.sorted()
    }

    public static func load(_ file: String) throws(SuiteLoadError) -> RuleSuite {
        let bytes = try read(file)
        let root: JSONValue
        do { root = try YAMLValue.parse(bytes: bytes) } catch { throw SuiteLoadError("\(file): \(error)") }
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            return try parse(root, file: file, text: text)
        } catch let e as ConfigurationError {
            throw SuiteLoadError(RulesConfigurationFile.locate(e, file: file, bytes: bytes).description)
        } catch let e as SuiteLoadError {
            throw e
        } catch {
            throw SuiteLoadError("\(file): \(error)")
        }
    }

    // MARK: - parsing

    static func parse(_ root: JSONValue, file: String, text: String) throws -> RuleSuite {
        let dir = (file as NSString).deletingLastPathComponent
        let top = try ParameterReader(root, allowedKeys: ["name", "config", "state", "namespaceLabels", "cases"])
        let defaultName = ((dir as NSString).lastPathComponent)
        var suite = RuleSuite(name: try top.string("name") ?? defaultName, file: file,
                              config: try top.string("config").map { join(dir, $0) },
                              state: try top.string("state").map { join(dir, $0) },
                              namespaceLabels: nil, cases: [])
        if let v = top.value("namespaceLabels") { suite.namespaceLabels = try namespaceLabels(v) }
        guard case .array(let items)? = top.value("cases"), !items.isEmpty else {
            throw ConfigurationError(path: "cases", "is required: a non-empty list of cases")
        }
        var names = Set<String>()
        for (i, item) in items.enumerated() {
            let c = try suiteCase(item, index: i, dir: dir, text: text)
            guard names.insert(c.name).inserted else {
                throw ConfigurationError(path: "cases[\(i)].name", "\"\(c.name)\" is used twice")
            }
            suite.cases.append(c)
        }
        return suite
    }

    static func suiteCase(_ value: JSONValue, index i: Int, dir: String, text: String) throws -> SuiteCase {
        let path = "cases[\(i)]"
        let p = try ParameterReader(value, allowedKeys: ["name", "review", "object", "oldObject", "operation", "namespace",
                                                         "resource", "endpoint", "config", "state", "expect"],
                                    path: path)
        guard let name = try p.string("name"), !name.isEmpty else { throw ConfigurationError(path: "\(path).name", "is required") }
        let review: JSONValue
        if let r = p.value("review") {
            guard p.value("object") == nil, p.value("oldObject") == nil else {
                throw ConfigurationError(path: "\(path).review", "give either review or object/oldObject, not both")
            }
            review = try document(r, dir: dir, key: "\(path).review")
        } else {
            review = try synthesizedReview(p, index: i, dir: dir)
        }
        var endpoint = SuiteEndpoint.both
        if let e = try p.string("endpoint") {
            guard let v = SuiteEndpoint(rawValue: e) else {
                throw ConfigurationError(path: "\(path).endpoint", "must be mutating, validating or both, got \"\(e)\"")
            }
            endpoint = v
        }
        guard let expectValue = p.value("expect") else { throw ConfigurationError(path: "\(path).expect", "is required") }
        let expect = try expectation(expectValue, path: "\(path).expect", dir: dir)
        guard !expect.isEmpty else { throw ConfigurationError(path: "\(path).expect", "must check something") }
        return SuiteCase(name: name, line: YAMLValue.keyLocation(ofFieldPath: path, in: text)?.line, review: review,
                         endpoint: endpoint, config: try p.string("config").map { join(dir, $0) },
                         state: try p.string("state").map { join(dir, $0) }, expect: expect)
    }

    static func expectation(_ value: JSONValue, path: String, dir: String) throws -> Expectation {
        let p = try ParameterReader(value, allowedKeys: ["allowed", "code", "reason", "message", "warnings", "patched",
                                                         "patchOperations", "rules"], path: path)
        var e = Expectation()
        e.allowed = try p.bool("allowed")
        e.code = try p.int("code").map { Int(truncatingIfNeeded: $0) }
        e.reason = try p.string("reason")
        e.message = try p.string("message")
        e.warnings = try p.strings("warnings")
        if let v = p.value("patched") { e.patched = try document(v, dir: dir, key: "\(path).patched") }
        e.patchOperations = try p.int("patchOperations").map { Int(truncatingIfNeeded: $0) }
        if let v = p.value("rules") {
            guard case .object(let o) = v else { throw ConfigurationError(path: "\(path).rules", "must be a map of rule name to result") }
            let known: Set<String> = ["patched", "unchanged", "valid", "violations", "error", "skipped", "not run"]
            var out: [(rule: String, result: String)] = []
            for m in o {
                guard case .string(let s) = m.value, known.contains(s) else {
                    throw ConfigurationError(path: "\(path).rules.\(m.key)", "must be one of \(known.sorted().joined(separator: ", "))")
                }
                out.append((m.key, s))
            }
            e.rules = out
        }
        return e
    }

    /// An AdmissionReview v1 around a bare object, the way the apiserver would send it.
    static func synthesizedReview(_ p: ParameterReader, index: Int, dir: String) throws -> JSONValue {
        let path = p.path
        var object = try p.value("object").map { try document($0, dir: dir, key: "\(path).object") }
        var old = try p.value("oldObject").map { try document($0, dir: dir, key: "\(path).oldObject") }
        let opText = try p.string("operation") ?? "CREATE"
        guard let op = AdmissionOperation(rawValue: opText) else {
            throw ConfigurationError(path: "\(path).operation", "must be CREATE, UPDATE, DELETE or CONNECT, got \"\(opText)\"")
        }
        if op == .delete, old == nil { old = object; object = nil }
        guard let subject = object ?? old else {
            throw ConfigurationError(path: path, "needs review, or object (and oldObject for UPDATE)")
        }
        if op == .update, old == nil { throw ConfigurationError(path: "\(path).oldObject", "is required for UPDATE") }
        let apiVersion = subject["apiVersion"]?.stringValue ?? "v1"
        let kind = subject["kind"]?.stringValue ?? ""
        guard !kind.isEmpty else { throw ConfigurationError(path: "\(path).object.kind", "is required to build the review") }
        let parts = apiVersion.split(separator: "/", maxSplits: 1).map(String.init)
        let group = parts.count == 2 ? parts[0] : ""
        let version = parts.last ?? "v1"
        var resource: JSONValue = ["group": .string(group), "version": .string(version), "resource": .string(plural(kind))]
        if let r = try p.object("resource", allowedKeys: ["group", "version", "resource"]) {
            resource = ["group": .string(try r.string("group") ?? group), "version": .string(try r.string("version") ?? version),
                        "resource": .string(try r.string("resource") ?? plural(kind))]
        }
        let metaNamespace = subject["metadata"]?["namespace"]?.stringValue
        let namespace = try p.string("namespace") ?? metaNamespace ?? (kind == "Namespace" ? "" : "default")
        let base: JSONValue = [
            "uid": .string("suite-case-\(index)"),
            "kind": ["group": .string(group), "version": .string(version), "kind": .string(kind)],
            "resource": resource,
            "name": .string(subject["metadata"]?["name"]?.stringValue ?? ""),
            "namespace": .string(namespace),
            "operation": .string(op.rawValue),
            "userInfo": ["username": "mpa-admission-test"],
        ]
        var request = base.objectValue ?? JSONObject()
        request["object"] = object.map { withNamespace($0, namespace) } ?? .null
        request["oldObject"] = old.map { withNamespace($0, namespace) } ?? .null
        return ["apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": .object(request)]
    }

    /// The apiserver fills in `metadata.namespace` before admission.
    static func withNamespace(_ object: JSONValue, _ namespace: String) -> JSONValue {
        guard !namespace.isEmpty, case .object(var o) = object, case .object(var meta)? = o["metadata"],
              meta["namespace"] == nil else { return object }
        meta["namespace"] = .string(namespace)
        o["metadata"] = .object(meta)
        return .object(o)
    }

    /// `Pod` → `pods`, `NetworkPolicy` → `networkpolicies`, `Ingress` → `ingresses`.
    static func plural(_ kind: String) -> String {
        let k = kind.lowercased()
        if k.hasSuffix("s") { return k + "es" }
        if k.hasSuffix("y"), let before = k.dropLast().last, !"aeiou".contains(before) { return k.dropLast() + "ies" }
        return k + "s"
    }

    static func namespaceLabels(_ v: JSONValue) throws -> [String: [String: String]] {
        guard case .object(let o) = v else { throw ConfigurationError(path: "namespaceLabels", "must be a map of namespace to labels") }
        var out: [String: [String: String]] = [:]
        for ns in o {
            guard case .object(let labels) = ns.value else {
                throw ConfigurationError(path: "namespaceLabels.\(ns.key)", "must be a map of label to value")
            }
            var l: [String: String] = [:]
            for m in labels {
                guard case .string(let s) = m.value else {
                    throw ConfigurationError(path: "namespaceLabels.\(ns.key).\(m.key)", "must be a string")
                }
                l[m.key] = s
            }
            out[ns.key] = l
        }
        return out
    }

    /// An inline value, or a string naming a YAML/JSON file relative to the suite.
    static func document(_ v: JSONValue, dir: String, key: String) throws -> JSONValue {
        guard case .string(let relative) = v else { return v }
        let file = join(dir, relative)
        do {
            return try YAMLValue.parse(bytes: try read(file))
        } catch let e as YAMLError {
            throw SuiteLoadError("\(file): \(e) (named by \(key))")
        }
    }

    static func read(_ file: String) throws(SuiteLoadError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: file) else { throw SuiteLoadError("\(file): cannot read file") }
        return [UInt8](data)
    }

    static func join(_ dir: String, _ path: String) -> String {
        if path.hasPrefix("/") || dir.isEmpty { return path }
        return dir.hasSuffix("/") ? dir + path : dir + "/" + path
    }
}
