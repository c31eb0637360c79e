import AdmissionAPI

/// What one rule did for one request.
public enum RuleResult: Sendable, Hashable {
    /// A defaulter changed the object (`operations`: size of its own diff).
    case patched(operations: Int)
    /// A defaulter left the object as it was.
    case unchanged
    /// A validator found nothing wrong.
    case valid
    /// A validator found these violations.
    case violations([Violation])
    /// The rule threw (or returned something unusable); `policy` says what happened next.
    case failed(message: String, policy: FailurePolicy)
    /// The rule matched but could not run, e.g. CREATE without an object.
    case skipped(reason: String)

    /// Short label for logs and metrics.
    public var label: String {
        switch self {
        case .patched: return "patched"
        case .unchanged: return "unchanged"
        case .valid: return "valid"
        case .violations: return "violations"
        case .failed: return "error"
        case .skipped: return "skipped"
        }
    }
}

public struct RuleEvaluation: Sendable, Hashable {
    public var rule: String
    public var result: RuleResult
    public init(rule: String, result: RuleResult) { self.rule = rule; self.result = result }
}

/// Everything worth a log line or a metric about one review.
public struct EvaluationReport: Sendable {
    public enum Decision: String, Sendable, Hashable {
        case allowed, patched, denied, errored
    }

    public var endpoint: AdmissionEndpoint
    public var decision: Decision
    /// Matching rules in the order they ran (rules that did not match are not listed).
    public var rules: [RuleEvaluation]
    /// Size of the patch sent back (0 when none).
    public var patchOperations: Int
    /// Engine-level remarks, e.g. "DELETE: defaulters not run".
    public var notes: [String]
    /// What the encoder had to fix in the response (set by `AdmissionEngine.process`).
    public var sanitization: ResponseSanitization

    public init(endpoint: AdmissionEndpoint, decision: Decision = .allowed, rules: [RuleEvaluation] = [],
                patchOperations: Int = 0, notes: [String] = [], sanitization: ResponseSanitization = ResponseSanitization()) {
        self.endpoint = endpoint; self.decision = decision; self.rules = rules
        self.patchOperations = patchOperations; self.notes = notes; self.sanitization = sanitization
    }

    /// Rules that threw, whatever their policy.
    public var failedRules: [RuleEvaluation] {
        rules.filter { if case .failed = $0.result { return true } else { return false } }
    }

    /// `name=result` pairs, e.g. `add-annotation=patched,no-latest=violations`.
    public var summary: String {
        rules.map { "\($0.rule)=\($0.result.label)" }.joined(separator: ",")
    }
}
