import JSON

/// An RFC 6901 JSON Pointer: a list of reference tokens, escaped as `~0` (`~`) and `~1` (`/`).
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    public var tokens: [String]

    public init(tokens: [String]) { self.tokens = tokens }

    /// The root pointer `""`.
    public static let root = JSONPointer(tokens: [])

    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case missingLeadingSlash(String)
        case invalidEscape(String)
        public var description: String {
            switch self {
            case .missingLeadingSlash(let p): return "JSON pointer \(JSONWriter.string(.string(p))) must be empty or start with '/'"
            case .invalidEscape(let p): return "JSON pointer \(JSONWriter.string(.string(p))) has a '~' not followed by 0 or 1"
            }
        }
    }

    /// Parses the textual form (`""` or `/a/b~1c`).
    public init(parsing text: String) throws(ParseError) {
        if text.isEmpty { tokens = []; return }
        guard text.utf8.first == UInt8(ascii: "/") else { throw .missingLeadingSlash(text) }
        var result: [String] = []
        for raw in text.utf8.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(raw.count)
            var it = raw.makeIterator()
            while let b = it.next() {
                if b == UInt8(ascii: "~") {
                    switch it.next() {
                    case UInt8(ascii: "0"): bytes.append(UInt8(ascii: "~"))
                    case UInt8(ascii: "1"): bytes.append(UInt8(ascii: "/"))
                    default: throw .invalidEscape(text)
                    }
                } else {
                    bytes.append(b)
                }
            }
            result.append(String(decoding: bytes, as: UTF8.self))
        }
        tokens = result
    }

    /// Escapes one reference token per RFC 6901 (`~` → `~0`, `/` → `~1`).
    /// Works on bytes: a `~` followed by a combining mark is still one `~` byte.
    public static func escape(_ token: String) -> String {
        guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return token }
        var out: [UInt8] = []
        out.reserveCapacity(token.utf8.count + 4)
        for b in token.utf8 {
            switch b {
            case UInt8(ascii: "~"): out.append(UInt8(ascii: "~")); out.append(UInt8(ascii: "0"))
            case UInt8(ascii: "/"): out.append(UInt8(ascii: "~")); out.append(UInt8(ascii: "1"))
            default: out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String {
        var s = ""
        for t in tokens {
            s += "/"
            s += JSONPointer.escape(t)
        }
        return s
    }

    public var isRoot: Bool { tokens.isEmpty }
    public var lastToken: String? { tokens.last }

    public func appending(_ token: String) -> JSONPointer {
        // One allocation (`tokens + [token]` makes two: the literal and the sum).
        var longer: [String] = []
        longer.reserveCapacity(tokens.count + 1)
        longer.append(contentsOf: tokens)
        longer.append(token)
        return JSONPointer(tokens: longer)
    }
    public func appending(_ index: Int) -> JSONPointer { appending(String(index)) }
    public var parent: JSONPointer? { tokens.isEmpty ? nil : JSONPointer(tokens: Array(tokens.dropLast())) }

    /// Whether `self` is `other` or one of its ancestors (token-wise: `/a` is not a prefix of `/ab`).
    public func isPrefix(of other: JSONPointer) -> Bool {
        other.tokens.count >= tokens.count && other.tokens.starts(with: tokens)
    }

    /// Resolves the pointer in `document`; `nil` when any step is missing.
    /// Array tokens must be canonical indexes (no leading zeros, no `-`).
    public func resolve(in document: JSONValue) -> JSONValue? {
        var current = document
        for t in tokens {
            switch current {
            case .object(let o):
                guard let v = o[t] else { return nil }
                current = v
            case .array(let a):
                guard let i = JSONPointer.arrayIndex(t), i < a.count else { return nil }
                current = a[i]
            default:
                return nil
            }
        }
        return current
    }

    /// The token as an RFC 6901 array index: `0` or digits without a leading zero; `nil` otherwise
    /// (including `-`, signs, and values too large for `Int`).
    public static func arrayIndex(_ token: String) -> Int? {
        let u = token.utf8
        guard let first = u.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else { return nil }
        if first == UInt8(ascii: "0") { return u.count == 1 ? 0 : nil }
        var v = 0
        for b in u {
            guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int(b &- UInt8(ascii: "0")))
            if o1 || o2 { return nil }
            v = s
        }
        return v
    }
}
