import JSON

/// Formats label selectors as the apiserver writes `scale.status.selector`
/// (`metav1.FormatLabelSelector` without the `<none>` special case): requirements sorted by
/// key, `k=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, joined by `,`.
public enum LabelSelectorText {
    /// From a `metav1.LabelSelector` object, or a plain `map[string]string` selector
    /// (ReplicationController). Nil when `selector` has neither shape.
    public static func format(_ selector: JSONValue) -> String? {
        guard case .object(let o) = selector else { return nil }
        let isLabelSelector = o.keys.allSatisfy { $0 == "matchLabels" || $0 == "matchExpressions" }
        var requirements: [(key: String, text: String)] = []
        if isLabelSelector && !o.isEmpty {
            if let ml = o["matchLabels"], !ml.isNull {
                guard case .object(let labels) = ml else { return nil }
                for m in labels {
                    guard let v = m.value.stringValue else { return nil }
                    requirements.append((m.key, "\(m.key)=\(v)"))
                }
            }
            if let me = o["matchExpressions"], !me.isNull {
                guard case .array(let list) = me else { return nil }
                for e in list {
                    guard let key = e["key"]?.stringValue, let op = e["operator"]?.stringValue else { return nil }
                    let values = (e["values"]?.arrayValue ?? []).compactMap(\.stringValue).sorted()
                    switch op {
                    case "In": requirements.append((key, "\(key) in (\(values.joined(separator: ",")))"))
                    case "NotIn": requirements.append((key, "\(key) notin (\(values.joined(separator: ",")))"))
                    case "Exists": requirements.append((key, key))
                    case "DoesNotExist": requirements.append((key, "!\(key)"))
                    default: return nil
                    }
                }
            }
        } else {
            for m in o {
                guard let v = m.value.stringValue else { return nil }
                requirements.append((m.key, "\(m.key)=\(v)"))
            }
        }
        // Stable sort by key keeps matchLabels before expressions on the same key.
        let sorted = requirements.enumerated().sorted { a, b in
            a.element.key != b.element.key ? a.element.key < b.element.key : a.offset < b.offset
        }
        return sorted.map(\.element.text).joined(separator: ",")
    }
}
