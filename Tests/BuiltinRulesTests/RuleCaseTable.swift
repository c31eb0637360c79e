import AdmissionAPI
import AdmissionRules
import BuiltinRules
import Foundation
import JSON
import JSONPatch
import Testing

/// Rule case tables live in `Fixtures/<ruleType>.json`:
///
///     {"configErrors": [{"name", "parameters", "path", "contains"}],
///      "cases": [{"name", "parameters", "operation"?, "object", "oldObject"?,
///                 "expectObject"?, "expectOperations"?, "expectWarnings"?: [substring],
///                 "expectViolations"?: [field], "expectMessages"?: [substring]}]}
enum RuleCaseTable {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func load(_ type: String) throws -> JSONValue {
        try JSONParser.parse([UInt8](try Data(contentsOf: directory.appendingPathComponent("\(type).json"))))
    }

    static func factory(_ type: String) -> (JSONValue) throws -> any AdmissionRule {
        switch type {
        case RequiredLabelsRule.typeName: return { try RequiredLabelsRule(parameters: $0) }
        case PodPresetRule.typeName: return { try PodPresetRule(parameters: $0) }
        case DefaultResourcesRule.typeName: return { try DefaultResourcesRule(parameters: $0) }
        case PodSecurityRule.typeName: return { try PodSecurityRule(parameters: $0) }
        default: return { _ in throw UnknownType() }
        }
    }
    struct UnknownType: Error {}

    static func request(_ c: JSONValue) -> AdmissionRequest {
        let op = c["operation"]?.stringValue.flatMap(AdmissionOperation.init(rawValue:)) ?? .create
        return AdmissionRequest(uid: "u", kind: GroupVersionKind(group: "", version: "v1", kind: "Pod"),
                                resource: GroupVersionResource(group: "", version: "v1", resource: "pods"),
                                namespace: "default", operation: op, object: c["object"], oldObject: c["oldObject"])
    }

    /// Runs every config error and case of `type`'s table; returns how many ran.
    static func run(_ type: String) async throws -> Int {
        let table = try load(type)
        let make = factory(type)
        var count = 0
        for e in table["configErrors"]?.arrayValue ?? [] {
            let name = e["name"]?.stringValue ?? "?"
            do {
                _ = try make(e["parameters"] ?? .null)
                Issue.record("\(type) config error \(name): accepted")
            } catch let error as ConfigurationError {
                #expect(error.path == e["path"]?.stringValue, "\(type) \(name): \(error)")
                if let want = e["contains"]?.stringValue {
                    #expect(error.message.contains(want), "\(type) \(name): \(error.message)")
                }
            }
            count += 1
        }
        for c in table["cases"]?.arrayValue ?? [] {
            let name = c["name"]?.stringValue ?? "?"
            let rule = try make(c["parameters"] ?? .null)
            let request = request(c)
            let object = try #require(c["object"], "\(name): no object")
            if let defaulter = rule as? any Defaulter {
                let result = try await defaulter.default(request, object: object)
                var ops: [PatchOperation] = []
                if case .patch(let p) = result.change { ops = p }
                let after = try JSONPatch.apply(ops, to: object)
                let expected = c["expectObject"] ?? object
                #expect(after == expected, "\(type) \(name):\n got \(String(decoding: JSONWriter.bytes(after), as: UTF8.self))")
                if let n = c["expectOperations"]?.int64Value {
                    #expect(Int64(ops.count) == n, "\(type) \(name): \(ops.count) operations: \(String(decoding: JSONPatch.encode(ops), as: UTF8.self))")
                }
                #expect(PatchAudit.clobbers(ops, on: object).isEmpty, "\(type) \(name): clobbers \(PatchAudit.clobbers(ops, on: object))")
                try expectStrings(result.warnings, c["expectWarnings"], "\(type) \(name) warnings", required: true)
            }
            if let validator = rule as? any Validator {
                let v: Validation
                if request.operation == .update, let old = c["oldObject"] {
                    v = try await validator.validateUpdate(request, object: object, oldObject: old)
                } else {
                    v = try await validator.validateCreate(request, object: object)
                }
                let fields = (c["expectViolations"]?.arrayValue ?? []).compactMap(\.stringValue)
                #expect(v.violations.map(\.field) == fields, "\(type) \(name): \(v.violations)")
                try expectStrings(v.violations.map(\.message), c["expectMessages"], "\(type) \(name) messages")
                try expectStrings(v.warnings, c["expectWarnings"], "\(type) \(name) warnings", required: true)
            }
            count += 1
        }
        return count
    }

    /// Each expected substring must appear in its own entry, in order; counts must agree.
    static func expectStrings(_ got: [String], _ want: JSONValue?, _ what: String, required: Bool = false) throws {
        guard want != nil || required else { return }
        let expected = (want?.arrayValue ?? []).compactMap(\.stringValue)
        #expect(got.count == expected.count, "\(what): \(got)")
        for (g, w) in zip(got, expected) { #expect(g.contains(w), "\(what): \"\(g)\" lacks \"\(w)\"") }
    }
}

/// A patch that "adds" onto an existing object member replaces it: the classic lost-annotations bug.
/// (Adding over an explicit `null` is fine: there was nothing to lose.)
enum PatchAudit {
    static func clobbers(_ ops: [PatchOperation], on object: JSONValue) -> [String] {
        var current = object
        var out: [String] = []
        for op in ops {
            switch op {
            case .add(let path, _):
                if let last = path.tokens.last, last != "-", Int(last) == nil, let old = value(at: path, in: current), !old.isNull {
                    out.append("add over existing \(path)")
                }
            case .replace, .remove, .move, .copy:
                out.append("\(op.opName) \(op.path)")
            case .test:
                break
            }
            if let next = try? JSONPatch.apply([op], to: current) { current = next }
        }
        return out
    }

    static func value(at path: JSONPointer, in object: JSONValue) -> JSONValue? {
        var current = object
        for t in path.tokens {
            if let v = current[t] { current = v; continue }
            if let i = Int(t), let v = current[i] { current = v; continue }
            return nil
        }
        return current
    }
}

struct BuiltinRuleTableTests {
    @Test(arguments: [RequiredLabelsRule.typeName, PodPresetRule.typeName, DefaultResourcesRule.typeName, PodSecurityRule.typeName])
    func table(_ type: String) async throws {
        let n = try await RuleCaseTable.run(type)
        #expect(n >= 8, "\(type): only \(n) cases")
    }
}
