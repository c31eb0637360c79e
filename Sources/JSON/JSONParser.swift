/// Why a document is not the JSON we accept, and where (1-based line and column, 0-based byte offset).
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var offset: Int
    public var line: Int
    public var column: Int

    public var description: String { "\(message) at line \(line), column \(column)" }
}

/// A strict RFC 8259 parser working directly on bytes.
///
/// Rejects trailing garbage, invalid UTF-8, lone surrogate escapes, control characters
/// in strings, duplicate object keys and nesting deeper than `maxDepth`.
public struct JSONParser {
    public static let defaultMaxDepth = 512

    public static func parse(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { (buf) throws(JSONParseError) -> JSONValue in
            try parse(buf, maxDepth: maxDepth)
        }
    }

    public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8), maxDepth: maxDepth)
    }

    public static func parse(_ buffer: UnsafeBufferPointer<UInt8>, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        var p = JSONParser(bytes: buffer, maxDepth: maxDepth)
        p.skipWhitespace()
        let value = try p.parseValue()
        p.skipWhitespace()
        if p.position < buffer.count {
            throw p.error("unexpected data after the JSON value")
        }
        return value
    }

    // MARK: - state

    private let bytes: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    private var position = 0
    private var scratch: [UInt8] = []

    private init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    private func error(_ message: String, at offset: Int? = nil) -> JSONParseError {
        let at = min(offset ?? position, bytes.count)
        var line = 1, column = 1
        var i = 0
        while i < at {
            if bytes[i] == 0x0A { line += 1; column = 1 } else if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return JSONParseError(message: message, offset: at, line: line, column: column)
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private mutating func expectLiteral(_ literal: StaticString, _ value: JSONValue) throws(JSONParseError) -> JSONValue {
        let n = literal.utf8CodeUnitCount
        guard position + n <= bytes.count else { throw error("invalid literal") }
        let lit = literal.utf8Start
        for i in 0..<n where bytes[position + i] != lit[i] {
            throw error("invalid literal")
        }
        position += n
        return value
    }

    /// One open array or object while parsing; kept on an explicit stack (not the call
    /// stack) so 512 levels are safe on small thread stacks too. Its elements (members)
    /// collect at the end of one shared work array from `start`; a closed container takes
    /// them in one exactly sized array, so no container's array is regrown while it fills.
    private struct Frame {
        var isObject: Bool
        var start: Int
        var seen: Set<String>? = nil  // only built for large objects
        var key = ""  // the object member whose value is being parsed
    }

    private var openElements: [JSONValue] = []
    private var openMembers: [JSONObject.Member] = []

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        var stack: [Frame] = []
        while true {
            // Read one value, or open a container and go on to its first element.
            var value: JSONValue
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of input") }
            switch bytes[position] {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = bytes[position] == UInt8(ascii: "{")
                guard stack.count < maxDepth else { throw error("nesting deeper than \(maxDepth) levels") }
                position += 1
                skipWhitespace()
                let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if position < bytes.count, bytes[position] == close {
                    position += 1
                    value = isObject ? .object(JSONObject()) : .array([])
                } else {
                    var frame = Frame(isObject: isObject, start: isObject ? openMembers.count : openElements.count)
                    if isObject { frame.key = try parseKey(in: &frame) }
                    stack.append(frame)
                    continue
                }
            case UInt8(ascii: "\""): value = .string(try parseString())
            case UInt8(ascii: "t"): value = try expectLiteral("true", .bool(true))
            case UInt8(ascii: "f"): value = try expectLiteral("false", .bool(false))
            case UInt8(ascii: "n"): value = try expectLiteral("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): value = try parseNumber()
            default: throw error("unexpected character")
            }
            // Hand the value to its container; each closing bracket completes another value.
            while true {
                let top = stack.count - 1
                guard top >= 0 else { return value }
                skipWhitespace()
                let isObject = stack[top].isObject
                if isObject {
                    openMembers.append((key: stack[top].key, value: value))
                } else {
                    openElements.append(value)
                }
                guard position < bytes.count else { throw error(isObject ? "unterminated object" : "unterminated array") }
                let b = bytes[position]
                position += 1
                if b == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    let frame = stack.removeLast()
                    if isObject {
                        value = .object(JSONObject(uniqueMembers: Array(openMembers[frame.start...])))
                        openMembers.removeSubrange(frame.start...)
                    } else {
                        value = .array(Array(openElements[frame.start...]))
                        openElements.removeSubrange(frame.start...)
                    }
                    continue
                }
                guard b == UInt8(ascii: ",") else {
                    throw error(isObject ? "expected ',' or '}' in object" : "expected ',' or ']' in array", at: position - 1)
                }
                if isObject { stack[top].key = try parseKey(in: &stack[top]) }
                break
            }
        }
    }

    /// Reads `"key" :` for the object in `frame`, rejecting a key it already has.
    private mutating func parseKey(in frame: inout Frame) throws(JSONParseError) -> String {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
            throw error("expected a string key in object")
        }
        let keyStart = position
        let key = try parseString()
        let members = openMembers[frame.start...]
        if members.count < 16 {
            if members.contains(where: { $0.key == key }) {
                throw error("duplicate key \"\(key)\"", at: keyStart)
            }
        } else {
            if frame.seen == nil { frame.seen = Set(members.map(\.key)) }
            if frame.seen?.insert(key).inserted == false {
                throw error("duplicate key \"\(key)\"", at: keyStart)
            }
        }
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
            throw error("expected ':' after object key")
        }
        position += 1
        return key
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = position
        var scanner = NumberScanner(bytes: bytes, position: position)
        guard scanner.scan() else { throw error("invalid number", at: scanner.position) }
        position = scanner.position
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        return .number(JSONNumber(validatedText: text))
    }

    /// Parses a string starting at the opening quote; validates UTF-8 and escapes.
    private mutating func parseString() throws(JSONParseError) -> String {
        let openQuote = position
        position += 1
        let start = position
        // Fast path: no escapes, ASCII only or valid UTF-8 checked below.
        var hasEscape = false
        var hasNonASCII = false
        while position < bytes.count {
            let b = bytes[position]
            if b == UInt8(ascii: "\"") { break }
            if b == UInt8(ascii: "\\") { hasEscape = true; break }
            if b < 0x20 { throw error("control character in string") }
            if b >= 0x80 { hasNonASCII = true }
            position += 1
        }
        guard position < bytes.count else { throw error("unterminated string", at: openQuote) }
        if !hasEscape {
            let slice = UnsafeBufferPointer(rebasing: bytes[start..<position])
            if hasNonASCII, let bad = Self.firstInvalidUTF8(slice) {
                throw error("invalid UTF-8 in string", at: start + bad)
            }
            position += 1  // closing quote
            return String(decoding: slice, as: UTF8.self)
        }
        // Slow path: copy into scratch while decoding escapes. Runs of plain bytes are
        // validated as they are copied, so an invalid byte is reported where it is.
        scratch.removeAll(keepingCapacity: true)
        position = start
        while true {
            let runStart = position
            while position < bytes.count {
                let b = bytes[position]
                if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { break }
                position += 1
            }
            if runStart < position {
                let run = UnsafeBufferPointer(rebasing: bytes[runStart..<position])
                if let bad = Self.firstInvalidUTF8(run) {
                    throw error("invalid UTF-8 in string", at: runStart + bad)
                }
                scratch.append(contentsOf: run)
            }
            guard position < bytes.count else { throw error("unterminated string", at: openQuote) }
            let b = bytes[position]
            if b == UInt8(ascii: "\"") { position += 1; break }
            if b < 0x20 { throw error("control character in string") }
            if b == UInt8(ascii: "\\") {
                position += 1
                guard position < bytes.count else { throw error("unterminated string", at: openQuote) }
                let e = bytes[position]
                position += 1
                switch e {
                case UInt8(ascii: "\""): scratch.append(0x22)
                case UInt8(ascii: "\\"): scratch.append(0x5C)
                case UInt8(ascii: "/"): scratch.append(0x2F)
                case UInt8(ascii: "b"): scratch.append(0x08)
                case UInt8(ascii: "f"): scratch.append(0x0C)
                case UInt8(ascii: "n"): scratch.append(0x0A)
                case UInt8(ascii: "r"): scratch.append(0x0D)
                case UInt8(ascii: "t"): scratch.append(0x09)
                case UInt8(ascii: "u"):
                    let escapeStart = position - 2
                    var scalar = try parseHex4()
                    if scalar >= 0xD800 && scalar <= 0xDBFF {
                        guard position + 1 < bytes.count,
                              bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                            throw error("lone high surrogate in string escape", at: escapeStart)
                        }
                        position += 2
                        let low = try parseHex4()
                        guard low >= 0xDC00 && low <= 0xDFFF else {
                            throw error("lone high surrogate in string escape", at: escapeStart)
                        }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                        throw error("lone low surrogate in string escape", at: escapeStart)
                    }
                    Self.appendUTF8(scalar, to: &scratch)
                default:
                    throw error("invalid escape sequence in string", at: position - 2)
                }
            }
        }
        return String(decoding: scratch, as: UTF8.self)
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[position]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw error("invalid hex digit in \\u escape")
            }
            v = v << 4 | d
            position += 1
        }
        return v
    }

    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (scalar >> 6)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (scalar >> 12)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            out.append(UInt8(0xF0 | ((scalar >> 18) & 0x07)))
            out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    /// Offset of the first byte that breaks UTF-8 (overlongs, surrogates and > U+10FFFF included), or nil.
    static func firstInvalidUTF8(_ s: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = 0
        let n = s.count
        while i < n {
            let b0 = s[i]
            if b0 < 0x80 { i += 1; continue }
            let len: Int
            var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: len = 2
            case 0xE0: len = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: len = 3
            case 0xED: len = 3; upper = 0x9F
            case 0xF0: len = 4; lower = 0x90
            case 0xF1...0xF3: len = 4
            case 0xF4: len = 4; upper = 0x8F
            default: return i
            }
            guard i + len <= n else { return i }
            let b1 = s[i + 1]
            guard b1 >= lower && b1 <= upper else { return i }
            var k = 2
            while k < len {
                guard s[i + k] & 0xC0 == 0x80 else { return i }
                k += 1
            }
            i += len
        }
        return nil
    }
}
