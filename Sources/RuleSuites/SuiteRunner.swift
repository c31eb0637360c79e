import AdmissionAPI
import AdmissionRules
import JSON
import JSONPatch

/// Builds the engine for a configuration file and state directory (the composition root's job).
public typealias SuiteEngineFactory = @Sendable (_ config: String?, _ state: String?) throws -> AdmissionEngine

/// What one case did and whether it met its expectation.
public struct CaseResult: Sendable {
    public var suite: String
    public var name: String
    public var line: Int?
    /// `rule=result` pairs of the rules that ran, in order, over both endpoints.
    public var rules: String
    /// Empty when the case passed; otherwise one line per unmet expectation.
    public var failures: [String]
    public var passed: Bool { failures.isEmpty }
}

/// Runs suites through the real engine: bytes in, response review bytes out, like the server.
/// `both` runs the mutating endpoint, applies its patch and sends the result to the
/// validating endpoint, as the apiserver does.
public struct SuiteRunner: Sendable {
    public let makeEngine: SuiteEngineFactory

    public init(makeEngine: @escaping SuiteEngineFactory) { self.makeEngine = makeEngine }

    /// What the two endpoints answered, combined.
    struct Observed {
        var allowed = true
        var status: Status?
        var warnings: [String] = []
        var patched: JSONValue?
        var patchOperations = 0
        var rules: [RuleEvaluation] = []
    }

    public func run(_ suite: RuleSuite) async -> [CaseResult] {
        var engines: [String: AdmissionEngine] = [:]
        var results: [CaseResult] = []
        for c in suite.cases {
            let config = c.config ?? suite.config
            let state = c.state ?? suite.state
            let key = "\(config ?? "")\u{0}\(state ?? "")"
            var result = CaseResult(suite: suite.name, name: c.name, line: c.line, rules: "", failures: [])
            let engine: AdmissionEngine
            if let cached = engines[key] {
                engine = cached
            } else {
                do {
                    var made = try makeEngine(config, state)
                    if let labels = suite.namespaceLabels {
                        made = AdmissionEngine(rules: made.rules, namespaceLabels: StaticNamespaceLabels(labels))
                    }
                    engines[key] = made
                    engine = made
                } catch {
                    result.failures = ["cannot build the rules: \(error)"]
                    results.append(result)
                    continue
                }
            }
            do {
                let observed = try await observe(c, engine)
                result.rules = observed.rules.map { "\($0.rule)=\($0.result.label)" }.joined(separator: ",")
                result.failures = Self.compare(c.expect, observed)
            } catch {
                result.failures = ["\(error)"]
            }
            results.append(result)
        }
        return results
    }

    struct CaseError: Error, CustomStringConvertible {
        var description: String
    }

    func observe(_ c: SuiteCase, _ engine: AdmissionEngine) async throws -> Observed {
        var observed = Observed()
        var review = c.review
        let original = review["request"]?["object"]
        if c.endpoint != .validating {
            let r = try await send(review, .mutating, engine)
            observed.rules += r.report.rules
            observed.warnings += r.response.warnings
            observed.patchOperations = r.response.patch.count
            if let object = original, !object.isNull {
                do { observed.patched = try JSONPatch.apply(r.response.patch, to: object) } catch {
                    throw CaseError(description: "the mutating patch does not apply: \(error.description)")
                }
            }
            if !r.response.allowed {
                observed.allowed = false
                observed.status = r.response.status
                return observed
            }
            if let patched = observed.patched, case .object(var root) = review, case .object(var request)? = root["request"] {
                request["object"] = patched
                root["request"] = .object(request)
                review = .object(root)
            }
        }
        if c.endpoint != .mutating {
            let r = try await send(review, .validating, engine)
            observed.rules += r.report.rules
            observed.warnings += r.response.warnings
            if !r.response.allowed {
                observed.allowed = false
                observed.status = r.response.status
            }
        }
        return observed
    }

    func send(_ review: JSONValue, _ endpoint: AdmissionEndpoint, _ engine: AdmissionEngine) async throws -> ReviewedAdmission {
        switch await engine.process(JSONWriter.bytes(review), endpoint: endpoint) {
        case .badRequest(let e): throw CaseError(description: "not a usable AdmissionReview: \(e.message)")
        case .reviewed(let r): return r
        }
    }

    static func compare(_ e: Expectation, _ o: Observed) -> [String] {
        var out: [String] = []
        if let allowed = e.allowed, allowed != o.allowed {
            let why = o.status.map { ": \($0.code) \($0.reason): \($0.message)" } ?? ""
            out.append("expected \(allowed ? "allowed" : "denied"), got \(o.allowed ? "allowed" : "denied")\(why)")
        }
        if let code = e.code, code != o.status?.code {
            out.append("expected status code \(code), got \(o.status.map { String($0.code) } ?? "none")")
        }
        if let reason = e.reason, reason != o.status?.reason {
            out.append("expected status reason \(reason), got \(o.status?.reason ?? "none")")
        }
        if let message = e.message {
            let got = o.status?.message ?? ""
            if !got.contains(message) { out.append("expected message containing \"\(message)\", got \"\(got)\"") }
        }
        if let warnings = e.warnings {
            if warnings.count != o.warnings.count {
                out.append("expected \(warnings.count) warning(s), got \(o.warnings.count): \(o.warnings)")
            } else {
                var left = o.warnings
                for w in warnings {
                    if let i = left.firstIndex(where: { $0.contains(w) }) { left.remove(at: i) } else {
                        out.append("no warning contains \"\(w)\"; warnings: \(o.warnings)")
                    }
                }
            }
        }
        if let n = e.patchOperations, n != o.patchOperations {
            out.append("expected \(n) patch operation(s), got \(o.patchOperations)")
        }
        if let patched = e.patched {
            out += SubsetDiff.differences(expected: patched, actual: o.patched).map { "patched object \($0)" }
        }
        if let rules = e.rules {
            for (rule, want) in rules {
                let got = o.rules.filter { $0.rule == rule }.map(\.result.label)
                if want == "not run" {
                    if !got.isEmpty { out.append("rule \(rule): expected not run, got \(got.joined(separator: ","))") }
                } else if !got.contains(want) {
                    out.append("rule \(rule): expected \(want), got \(got.isEmpty ? "not run" : got.joined(separator: ","))")
                }
            }
        }
        return out
    }
}
