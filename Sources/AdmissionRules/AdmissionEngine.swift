import AdmissionAPI
import JSON
import JSONPatch

/// Runs a `RuleSet` over admission requests. No sockets, no HTTP: request in,
/// response and report out (`review`), or AdmissionReview bytes in and out (`process`).
///
/// Mutating: matching defaulters run in order, each on the previous one's result; the
/// response carries ONE patch: each rule's operations in order (a rule returning a whole
/// object contributes the diff to it), so a rule's exact patch form reaches the apiserver.
/// A patch that contains a diff of a rule's whole object is replayed against the sent
/// object before it goes out (patches made of the rules' own operations replay by construction). Nothing runs and no patch is sent on DELETE/CONNECT.
/// Validating: matching validators run for CREATE/UPDATE/DELETE; all violations of all
/// rules become one 422 `Invalid` denial. The validating endpoint never patches.
/// A rule that throws is skipped (`FailurePolicy.ignore`) or turns the answer into a
/// 500 `InternalError` denial (`.fail`).
public struct AdmissionEngine: Sendable {
    public let rules: RuleSet
    public let namespaceLabels: (any NamespaceLabelsProvider)?

    public init(rules: RuleSet, namespaceLabels: (any NamespaceLabelsProvider)? = nil) {
        self.rules = rules
        self.namespaceLabels = namespaceLabels
    }

    public func review(_ request: AdmissionRequest, endpoint: AdmissionEndpoint) async -> (AdmissionResponse, EvaluationReport) {
        await review(request, endpoint: endpoint, namespaceLabels: namespaceLabels)
    }

    public func review(_ request: AdmissionRequest, endpoint: AdmissionEndpoint,
                       namespaceLabels provider: (any NamespaceLabelsProvider)?) async -> (AdmissionResponse, EvaluationReport) {
        let selected = await matchingEntries(request, endpoint: endpoint, provider: provider)
        switch endpoint {
        case .mutating: return await runDefaulters(selected, request)
        case .validating: return await runValidators(selected, request)
        }
    }

    // MARK: - selection

    private func matchingEntries(_ request: AdmissionRequest, endpoint: AdmissionEndpoint,
                                 provider: (any NamespaceLabelsProvider)?) async -> [RuleSet.Entry] {
        var cache: [String: String]?? = .none  // looked up at most once per request
        var out: [RuleSet.Entry] = []
        for entry in rules.entries {
            switch endpoint {
            case .mutating: if entry.defaulter == nil { continue }
            case .validating: if entry.validator == nil { continue }
            }
            let matched = await entry.match.matches(request) { () async -> [String: String]? in
                if case .some(let known) = cache { return known }
                let looked = await provider?.labels(ofNamespace: request.namespace)
                cache = .some(looked)
                return looked
            }
            if matched { out.append(entry) }
        }
        return out
    }

    // MARK: - mutating

    private func runDefaulters(_ entries: [RuleSet.Entry], _ request: AdmissionRequest) async -> (AdmissionResponse, EvaluationReport) {
        var report = EvaluationReport(endpoint: .mutating)
        let uid = request.uid
        guard !entries.isEmpty else { return (.allowed(uid: uid), report) }
        guard request.operation == .create || request.operation == .update else {
            report.notes.append("\(request.operation.rawValue): defaulters not run, no patch")
            return (.allowed(uid: uid), report)
        }
        guard let original = request.object, case .object = original else {
            report.notes.append("request has no object: defaulters not run")
            for e in entries { report.rules.append(RuleEvaluation(rule: e.name, result: .skipped(reason: "no object"))) }
            return (.allowed(uid: uid), report)
        }

        var current = original
        var patch: [PatchOperation] = []
        var warnings: [String] = []
        var audit: [String: String] = [:]
        var anyFailClosedPatcher = false
        // Replaying operations that were each applied to produce `current` gives `current`
        // again (apply is a pure function); only diffs of whole objects need the check.
        var patchFromDiff = false
        for entry in entries {
            guard let defaulter = entry.defaulter else { continue }
            do {
                let result = try await defaulter.default(request, object: current)
                let next: JSONValue
                let ops: [PatchOperation]
                switch result.change {
                case .none:
                    next = current; ops = []
                case .patch(let rulePatch):
                    do {
                        next = try JSONPatch.apply(rulePatch, to: current)
                    } catch {
                        throw RuleFailure("returned a patch that does not apply: \(error.description)")
                    }
                    ops = rulePatch
                case .object(let object):
                    next = object
                    ops = JSONPatch.diff(from: current, to: object)
                }
                if let problem = Self.shapeProblem(from: current, to: next) { throw RuleFailure(problem) }
                let changed = !ops.isEmpty && next != current
                report.rules.append(RuleEvaluation(rule: entry.name, result: changed ? .patched(operations: ops.count) : .unchanged))
                if changed {
                    if case .object = result.change { patchFromDiff = true }
                    current = next
                    // The first patching rule's operations are taken as they are (no copy).
                    if patch.isEmpty { patch = ops } else { patch.append(contentsOf: ops) }
                    if entry.failurePolicy == .fail { anyFailClosedPatcher = true }
                }
                warnings.append(contentsOf: result.warnings)
                for (k, v) in result.auditAnnotations { audit[k] = v }
            } catch {
                let message = Self.describe(error)
                report.rules.append(RuleEvaluation(rule: entry.name, result: .failed(message: message, policy: entry.failurePolicy)))
                if entry.failurePolicy == .fail {
                    report.decision = .errored
                    return (.errored(uid: uid, message: "rule \"\(entry.name)\" failed: \(message)"), report)
                }
            }
        }

        if !patch.isEmpty && patchFromDiff {
            // The apiserver turns a patch that does not apply into a 500 for the user,
            // whatever the failure policy: never send one we have not replayed ourselves.
            let replayed = try? JSONPatch.apply(patch, to: original)
            if replayed != current {
                report.notes.append("computed patch does not reproduce the defaulted object; patch withheld")
                if anyFailClosedPatcher {
                    report.decision = .errored
                    return (.errored(uid: uid, message: "internal error: could not build a patch for the defaulted object"), report)
                }
                var response = AdmissionResponse.allowed(uid: uid, warnings: warnings)
                response.auditAnnotations = audit
                return (response, report)
            }
        }
        var response = AdmissionResponse.patched(uid: uid, patch, warnings: warnings)
        response.auditAnnotations = audit
        report.patchOperations = patch.count
        report.decision = patch.isEmpty ? .allowed : .patched
        return (response, report)
    }

    private static let identityKeys = ["apiVersion", "kind"]

    /// Why `next` is not an acceptable replacement for `current`, or nil.
    static func shapeProblem(from current: JSONValue, to next: JSONValue) -> String? {
        guard case .object = next else {
            let article = next.typeName.first.map { "aeiou".contains($0) } == true ? "an" : "a"
            return "produced \(article) \(next.typeName) instead of an object"
        }
        for key in identityKeys where current[key] != next[key] {
            return "changed \(key), which a webhook must not do"
        }
        return nil
    }

    // MARK: - validating

    private func runValidators(_ entries: [RuleSet.Entry], _ request: AdmissionRequest) async -> (AdmissionResponse, EvaluationReport) {
        var report = EvaluationReport(endpoint: .validating)
        let uid = request.uid
        var violations: [Violation] = []
        var warnings: [String] = []
        for entry in entries {
            guard let validator = entry.validator else { continue }
            do {
                let validation: Validation
                switch request.operation {
                case .create:
                    guard let object = request.object else {
                        report.rules.append(RuleEvaluation(rule: entry.name, result: .skipped(reason: "CREATE without object")))
                        continue
                    }
                    validation = try await validator.validateCreate(request, object: object)
                case .update:
                    guard let object = request.object, let old = request.oldObject else {
                        report.rules.append(RuleEvaluation(rule: entry.name, result: .skipped(reason: "UPDATE without object and oldObject")))
                        continue
                    }
                    validation = try await validator.validateUpdate(request, object: object, oldObject: old)
                case .delete:
                    validation = try await validator.validateDelete(request, oldObject: request.oldObject)
                case .connect:
                    report.rules.append(RuleEvaluation(rule: entry.name, result: .skipped(reason: "CONNECT is not validated")))
                    continue
                }
                report.rules.append(RuleEvaluation(rule: entry.name,
                                                   result: validation.violations.isEmpty ? .valid : .violations(validation.violations)))
                violations.append(contentsOf: validation.violations)
                warnings.append(contentsOf: validation.warnings)
            } catch {
                let message = Self.describe(error)
                report.rules.append(RuleEvaluation(rule: entry.name, result: .failed(message: message, policy: entry.failurePolicy)))
                if entry.failurePolicy == .fail {
                    report.decision = .errored
                    var response = AdmissionResponse.errored(uid: uid, message: "rule \"\(entry.name)\" failed: \(message)")
                    response.warnings = warnings
                    return (response, report)
                }
            }
        }
        guard !violations.isEmpty else {
            return (.allowed(uid: uid, warnings: warnings), report)
        }
        report.decision = .denied
        var response = Self.invalid(request, violations)
        response.warnings = warnings
        return (response, report)
    }

    /// A Kubernetes-style 422: `Pod "web" is invalid: [spec.a: msg, spec.b: msg]`.
    public static func invalid(_ request: AdmissionRequest, _ violations: [Violation]) -> AdmissionResponse {
        let object = request.object ?? request.oldObject
        var name = request.name
        if name.isEmpty { name = object?["metadata"]?["name"]?.stringValue ?? "" }
        if name.isEmpty { name = object?["metadata"]?["generateName"]?.stringValue ?? "" }
        let kind = request.kind.kind
        let items = violations.map { v in v.field.isEmpty ? v.message : "\(v.field): \(v.message)" }
        let list = items.count == 1 ? items[0] : "[" + items.joined(separator: ", ") + "]"
        let message = ResponseSanitizer.singleLine("\(kind) \(AdmissionReview.quote(name)) is invalid: \(list)")
        let causes = violations.map { Status.Cause(reason: $0.reason, message: $0.message, field: $0.field) }
        return .denied(uid: request.uid, code: 422, reason: "Invalid", message: message,
                       details: Status.Details(name: name, group: request.kind.group, kind: kind, causes: causes))
    }

    static func describe(_ error: any Error) -> String {
        ResponseSanitizer.singleLine(String(describing: error))
    }
}

/// A defaulter's result the engine cannot use, reported like a thrown error.
struct RuleFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
