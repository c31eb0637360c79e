import AdmissionAPI

/// Rules in registration order, which is the order they run in. Each entry carries the
/// effective name, match and failure policy (the rule's own, or overridden by configuration).
public struct RuleSet: Sendable {
    public struct Entry: Sendable {
        public let name: String
        public let match: RuleMatch
        public let failurePolicy: FailurePolicy
        public let rule: any AdmissionRule
        /// The rule as a defaulter / validator, when it is one (a rule may be both).
        public let defaulter: (any Defaulter)?
        public let validator: (any Validator)?
    }

    public enum Error: Swift.Error, Sendable, Equatable, CustomStringConvertible {
        case duplicateName(String)
        case invalidName(String)
        case notARule(String)
        public var description: String {
            switch self {
            case .duplicateName(let n): return "rule name \"\(n)\" is used twice; rule names must be unique"
            case .invalidName(let n): return "rule name \"\(n)\" is empty or contains whitespace or control characters"
            case .notARule(let n): return "rule \"\(n)\" is neither a Defaulter nor a Validator"
            }
        }
    }

    public private(set) var entries: [Entry] = []

    public init() {}

    public init(_ rules: [any AdmissionRule]) throws(RuleSet.Error) {
        for r in rules { try add(r) }
    }

    public var names: [String] { entries.map(\.name) }
    public var isEmpty: Bool { entries.isEmpty }

    /// Appends a rule; `name`, `match` and `failurePolicy` override the rule's own.
    public mutating func add(_ rule: any AdmissionRule, name: String? = nil, match: RuleMatch? = nil,
                             failurePolicy: FailurePolicy? = nil) throws(RuleSet.Error) {
        let effectiveName = name ?? rule.name
        guard !effectiveName.isEmpty,
              !effectiveName.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F })
        else { throw .invalidName(effectiveName) }
        guard !entries.contains(where: { $0.name == effectiveName }) else { throw .duplicateName(effectiveName) }
        let defaulter = rule as? any Defaulter
        let validator = rule as? any Validator
        guard defaulter != nil || validator != nil else { throw .notARule(effectiveName) }
        entries.append(Entry(name: effectiveName, match: match ?? rule.match,
                             failurePolicy: failurePolicy ?? rule.failurePolicy, rule: rule,
                             defaulter: defaulter, validator: validator))
    }
}
