import AdmissionRules
import JSON

/// Collects field errors the way Kubernetes' `field.ErrorList` words them
/// (`Required value`, `Invalid value: 5: must be greater than 0`,
/// `Unsupported value: "x": supported values: "a", "b"`, `Too many: 2: must have at most 1 items`).
struct FieldErrors {
    private(set) var violations: [Violation] = []

    mutating func required(_ field: String, _ detail: String? = nil) {
        violations.append(Violation(field: field, message: detail.map { "Required value: \($0)" } ?? "Required value",
                                    reason: "FieldValueRequired"))
    }

    mutating func invalid(_ field: String, _ value: JSONValue?, _ detail: String) {
        let shown = value.map { "Invalid value: \(Self.render($0)): " } ?? "Invalid value: "
        violations.append(Violation(field: field, message: shown + detail, reason: "FieldValueInvalid"))
    }

    mutating func typeInvalid(_ field: String, _ value: JSONValue, expected: String) {
        violations.append(Violation(field: field, message: "Invalid value: \(Self.render(value)): must be \(expected)",
                                    reason: "FieldValueTypeInvalid"))
    }

    mutating func notSupported(_ field: String, _ value: JSONValue, _ supported: [String]) {
        let list = supported.map { "\"\($0)\"" }.joined(separator: ", ")
        violations.append(Violation(field: field, message: "Unsupported value: \(Self.render(value)): supported values: \(list)",
                                    reason: "FieldValueNotSupported"))
    }

    mutating func tooMany(_ field: String, actual: Int, max: Int) {
        violations.append(Violation(field: field, message: "Too many: \(actual): must have at most \(max) items",
                                    reason: "FieldValueTooMany"))
    }

    /// Strings quoted, numbers as written, anything else as compact JSON (shortened).
    static func render(_ value: JSONValue) -> String {
        let text = String(decoding: JSONWriter.bytes(value), as: UTF8.self)
        guard text.count > 80 else { return text }
        return String(text.prefix(77)) + "..."
    }
}

/// `a` + `.b` / `[i]` Kubernetes field paths.
extension String {
    func dot(_ key: String) -> String { isEmpty ? key : "\(self).\(key)" }
    func at(_ index: Int) -> String { "\(self)[\(index)]" }
}
