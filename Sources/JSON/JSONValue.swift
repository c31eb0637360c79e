/// An exact JSON value: numbers keep their original text (no lossy doubles) and
/// object members keep their order, so what we read is what we write back.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

extension JSONValue {
    public var isNull: Bool { if case .null = self { return true } else { return false } }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var numberValue: JSONNumber? { if case .number(let n) = self { return n } else { return nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var objectValue: JSONObject? { if case .object(let o) = self { return o } else { return nil } }
    /// The value as an Int64 when it is a number written as an integer in range.
    public var int64Value: Int64? { numberValue?.int64Value }

    /// Member lookup on objects; `nil` for anything else or a missing key.
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// Element lookup on arrays; `nil` when out of range or not an array (never traps).
    public subscript(index: Int) -> JSONValue? {
        if case .array(let a) = self, index >= 0, index < a.count { return a[index] }
        return nil
    }

    /// A short name of the value's type, for error messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral,
                     ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral,
                     ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .number(JSONNumber(value)) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements.map { (key: $0.0, value: $0.1) }))
    }
    public init(nilLiteral: ()) { self = .null }
}

/// A JSON number kept as the exact text it was written with (validated RFC 8259 grammar).
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number's text, e.g. `-12`, `0.5`, `1e3`.
    public let text: String

    /// Creates a number from text that must already be valid RFC 8259 number grammar.
    /// Use `JSONNumber(parsing:)` for unchecked input.
    init(validatedText: String) { self.text = validatedText }

    public init(_ value: Int64) { self.text = String(value) }
    public init(_ value: Int) { self.text = String(value) }

    /// Parses `text` as a JSON number; `nil` when it is not valid number grammar.
    public init?(parsing text: String) {
        var bytes = Array(text.utf8)
        let ok = bytes.withUnsafeMutableBufferPointer { buf -> Bool in
            var scanner = NumberScanner(bytes: UnsafeBufferPointer(buf))
            return scanner.scan() && scanner.position == buf.count
        }
        guard ok, !bytes.isEmpty else { return nil }
        self.text = text
    }

    /// The value as an Int64 when the text is an integer (no fraction or exponent) in range.
    public var int64Value: Int64? { Int64(text) }

    /// Whether the text has no fraction and no exponent.
    public var isInteger: Bool { !text.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) }

    public var description: String { text }
}

/// Scans RFC 8259 number grammar; shared by the parser and `JSONNumber(parsing:)`.
struct NumberScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }
    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// Advances over one number; false when the grammar is violated.
    mutating func scan() -> Bool {
        if peek() == UInt8(ascii: "-") { position += 1 }
        guard let first = peek(), Self.isDigit(first) else { return false }
        position += 1
        if first != UInt8(ascii: "0") {
            while let b = peek(), Self.isDigit(b) { position += 1 }
        }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard let b = peek(), Self.isDigit(b) else { return false }
            while let b = peek(), Self.isDigit(b) { position += 1 }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            position += 1
            if let s = peek(), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { position += 1 }
            guard let b = peek(), Self.isDigit(b) else { return false }
            while let b = peek(), Self.isDigit(b) { position += 1 }
        }
        return true
    }
}
