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
            case .missingLeadingSlash(let p): return "JSON pointer \"\(p)\" must be empty or start with '/'"
            case .invalidEscape(let p): return "JSON pointer \"\(p)\" has a '~' not followed by 0 or 1"
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
    public static func escape(_ token: String) -> String {
        guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return token }
        return token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    public var description: String {
        tokens.map { "/" + JSONPointer.escape($0) }.joined()
    }

    public func appending(_ token: String) -> JSONPointer { JSONPointer(tokens: tokens + [token]) }
    public func appending(_ index: Int) -> JSONPointer { JSONPointer(tokens: tokens + [String(index)]) }
    public var parent: JSONPointer? { tokens.isEmpty ? nil : JSONPointer(tokens: Array(tokens.dropLast())) }
}

extension String {
    /// `replacingOccurrences` without Foundation, for short strings.
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let r = rest.range(of: target) {
            result += rest[rest.startIndex..<r.lowerBound]
            result += replacement
            rest = rest[r.upperBound...]
        }
        result += rest
        return result
    }
}

extension Substring {
    fileprivate func range(of target: String) -> Range<Substring.Index>? {
        let t = Array(target)
        guard !t.isEmpty else { return nil }
        var i = startIndex
        while i < endIndex {
            if self[i...].starts(with: t) {
                return i..<index(i, offsetBy: t.count)
            }
            i = index(after: i)
        }
        return nil
    }
}
