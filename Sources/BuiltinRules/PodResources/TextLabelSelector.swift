import AdmissionAPI

/// The text form of a label selector (`app=web,tier in (a,b),!canary`), as a `scale`
/// subresource's `status.selector` carries it (Kubernetes `labels.Parse`).
///
/// Requirements are separated by commas: `k`, `!k`, `k=v`, `k==v`, `k!=v`, `k in (a,b)`,
/// `k notin (a,b)`, `k>n`, `k<n`. An empty text selects everything.
struct TextLabelSelector: Sendable, Equatable {
    enum Requirement: Sendable, Equatable {
        case set(LabelSelector.Requirement)
        case greaterThan(key: String, Int64)
        case lessThan(key: String, Int64)

        func matches(_ labels: [String: String]) -> Bool {
            switch self {
            case .set(let r): return r.matches(labels)
            case .greaterThan(let key, let n): return labels[key].flatMap { Int64($0) }.map { $0 > n } ?? false
            case .lessThan(let key, let n): return labels[key].flatMap { Int64($0) }.map { $0 < n } ?? false
            }
        }
    }

    struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        var description: String
    }

    var requirements: [Requirement]

    func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { $0.matches(labels) }
    }

    init(parsing text: String) throws(ParseError) {
        var out: [Requirement] = []
        for part in Self.split(text) {
            let p = Self.trim(part)
            if p.isEmpty {
                if Self.trim(Substring(text)).isEmpty { continue }
                throw ParseError(description: "selector \"\(text)\": empty requirement")
            }
            out.append(try Self.requirement(p, in: text))
        }
        requirements = out
    }

    /// Splits at commas outside parentheses.
    private static func split(_ text: String) -> [Substring] {
        var parts: [Substring] = []
        var depth = 0
        var start = text.startIndex
        var i = text.startIndex
        while i < text.endIndex {
            switch text[i] {
            case "(": depth += 1
            case ")": depth -= 1
            case "," where depth == 0:
                parts.append(text[start..<i])
                start = text.index(after: i)
            default: break
            }
            i = text.index(after: i)
        }
        parts.append(text[start...])
        return parts
    }

    private static func trim(_ s: Substring) -> Substring {
        var t = s
        while let f = t.first, f == " " || f == "\t" { t = t.dropFirst() }
        while let l = t.last, l == " " || l == "\t" { t = t.dropLast() }
        return t
    }

    private static func requirement(_ p: Substring, in text: String) throws(ParseError) -> Requirement {
        func fail(_ why: String) -> ParseError { ParseError(description: "selector \"\(text)\": \(why)") }
        func key(_ k: Substring) throws(ParseError) -> String {
            let t = trim(k)
            guard !t.isEmpty, !t.contains(where: { $0 == " " || "=!<>(),".contains($0) }) else {
                throw fail("bad key \"\(k)\"")
            }
            return String(t)
        }
        func value(_ v: Substring) throws(ParseError) -> String {
            let t = trim(v)
            guard !t.contains(where: { $0 == " " || "=!<>(),".contains($0) }) else { throw fail("bad value \"\(v)\"") }
            return String(t)
        }
        if p.first == "!" {
            return .set(.init(key: try key(p.dropFirst()), operator: .doesNotExist))
        }
        if let r = p.firstRange(of: "!=") {
            return .set(.init(key: try key(p[..<r.lowerBound]), operator: .notIn, values: [try value(p[r.upperBound...])]))
        }
        if let r = p.firstRange(of: "==") ?? p.firstRange(of: "=") {
            return .set(.init(key: try key(p[..<r.lowerBound]), operator: .in, values: [try value(p[r.upperBound...])]))
        }
        for (symbol, greater) in [(">", true), ("<", false)] {
            if let r = p.firstRange(of: symbol) {
                guard let n = Int64(trim(p[r.upperBound...])) else { throw fail("\(symbol) needs an integer") }
                let k = try key(p[..<r.lowerBound])
                return greater ? .greaterThan(key: k, n) : .lessThan(key: k, n)
            }
        }
        if let open = p.firstIndex(of: "(") {
            guard p.last == ")" else { throw fail("missing )") }
            let head = trim(p[..<open])
            let words = head.split(separator: " ", omittingEmptySubsequences: true)
            guard words.count == 2, words[1] == "in" || words[1] == "notin" else { throw fail("expected in or notin") }
            var values: [String] = []
            for v in p[p.index(after: open)..<p.index(before: p.endIndex)].split(separator: ",", omittingEmptySubsequences: false) {
                values.append(try value(v))
            }
            return .set(.init(key: try key(words[0]), operator: words[1] == "in" ? .in : .notIn, values: values))
        }
        return .set(.init(key: try key(p), operator: .exists))
    }
}
