import JSON
import JSONPatch

/// Compares an expected subset against an actual value, one readable line per difference:
/// `/spec/containers/0/env/1/value: expected "b", got "c"`.
///
/// Objects: every expected key must be there with a matching value (other keys are ignored);
/// an expected `null` means "absent or null". Arrays: same length, element by element.
/// Scalars: equal.
public enum SubsetDiff {
    public static func differences(expected: JSONValue, actual: JSONValue?, at path: [String] = []) -> [String] {
        let here = path.isEmpty ? "/" : JSONPointer(tokens: path).description
        if expected.isNull {
            if let actual, !actual.isNull { return ["\(here): expected absent, got \(show(actual))"] }
            return []
        }
        guard let actual else { return ["\(here): missing, expected \(show(expected))"] }
        switch (expected, actual) {
        case (.object(let e), .object(let a)):
            var out: [String] = []
            for m in e { out += differences(expected: m.value, actual: a[m.key], at: path + [m.key]) }
            return out
        case (.array(let e), .array(let a)):
            guard e.count == a.count else {
                return ["\(here): expected \(e.count) items, got \(a.count): \(show(actual))"]
            }
            var out: [String] = []
            for (i, pair) in zip(e, a).enumerated() { out += differences(expected: pair.0, actual: pair.1, at: path + [String(i)]) }
            return out
        default:
            return expected == actual ? [] : ["\(here): expected \(show(expected)), got \(show(actual))"]
        }
    }

    /// Compact JSON, cut at 120 characters.
    static func show(_ value: JSONValue) -> String {
        let text = JSONWriter.string(value)
        return text.count > 120 ? String(text.prefix(117)) + "..." : text
    }
}
