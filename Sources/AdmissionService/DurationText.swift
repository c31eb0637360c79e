/// Durations as flags write them: `25s`, `500ms`, `2m`, `1m30s`, or bare seconds (`25`).
public enum DurationText {
    public static func parse(_ text: String) throws(ServeSettingsError) -> Duration {
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            guard let s = Int64(text), s <= 86_400 else { throw invalid(text) }
            return .seconds(s)
        }
        var total: Duration = .zero
        var rest = Substring(text)
        guard !rest.isEmpty else { throw invalid(text) }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 9, let value = Int64(digits) else { throw invalid(text) }
            rest = rest.dropFirst(digits.count)
            let unit = rest.prefix { $0.isASCII && $0.isLetter }
            rest = rest.dropFirst(unit.count)
            switch unit {
            case "ms": total += .milliseconds(value)
            case "s": total += .seconds(value)
            case "m": total += .seconds(value * 60)
            case "h": total += .seconds(value * 3600)
            default: throw invalid(text)
            }
        }
        guard total <= .seconds(86_400) else { throw invalid(text) }
        return total
    }

    private static func invalid(_ text: String) -> ServeSettingsError {
        ServeSettingsError("\"\(text)\" is not a duration such as 25s, 500ms or 1m30s (at most 24h)")
    }
}
