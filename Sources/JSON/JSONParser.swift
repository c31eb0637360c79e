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
        defer { p.release() }
        p.skipWhitespace()
        let value = try p.parseValue()
        p.skipWhitespace()
        if p.position < buffer.count {
            throw p.error("unexpected data after the JSON value")
        }
        return value
    }

    // MARK: - state

    let bytes: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    var position = 0
    /// Decoded bytes of the string being read, when it has escapes.
    var scratch: [UInt8] = []
    let interned = InternedStrings.shared

    /// Elements of the open arrays, members of the open objects (with the print of each key,
    /// same index), innermost container last; see `Frame`.
    private var openElements = ParserWorkStack<JSONValue>()
    private var openMembers = ParserWorkStack<JSONObject.Member>()
    private var openKeys = ParserWorkStack<KeyPrint>()

    private init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    private mutating func release() {
        openElements.release()
        openMembers.release()
        openKeys.release()
    }

    func error(_ message: String, at offset: Int? = nil) -> JSONParseError {
        let at = min(offset ?? position, bytes.count)
        var line = 1, column = 1
        var i = 0
        while i < at {
            if bytes[i] == 0x0A { line += 1; column = 1 } else if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return JSONParseError(message: message, offset: at, line: line, column: column)
    }

    @inline(__always)
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
    /// collect at the top of `openElements` (`openMembers`) from `start`; a closed container
    /// moves them into one exactly sized array, so no container's array is regrown while it
    /// fills. An object's member is pushed when its key is read, with a `null` value that the
    /// value replaces.
    private struct Frame {
        var isObject: Bool
        var start: Int
        var seen: Set<String>? = nil  // only built for large objects
    }

    /// Objects with up to this many members check a new key against the others one by one
    /// (by print); larger ones keep a set of their keys.
    static let linearKeyLimit = 32

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
                    if stack.isEmpty { stack.reserveCapacity(16) }
                    var frame = Frame(isObject: isObject, start: isObject ? openMembers.count : openElements.count)
                    if isObject { try parseKey(in: &frame) }
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
                    openMembers.pointer(at: openMembers.count - 1)?.pointee.value = consume value
                } else {
                    openElements.append(consume value)
                }
                guard position < bytes.count else { throw error(isObject ? "unterminated object" : "unterminated array") }
                let b = bytes[position]
                position += 1
                if b == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    let start = stack[top].start
                    stack.removeLast()
                    if isObject {
                        value = .object(JSONObject(uniqueMembers: openMembers.take(from: start)))
                        openKeys.remove(from: start)
                    } else {
                        value = .array(openElements.take(from: start))
                    }
                    continue
                }
                guard b == UInt8(ascii: ",") else {
                    throw error(isObject ? "expected ',' or '}' in object" : "expected ',' or ']' in array", at: position - 1)
                }
                if isObject { try parseKey(in: &stack[top]) }
                break
            }
        }
    }

    /// Reads `"key" :` for the object in `frame`, rejecting a key it already has, and pushes
    /// the member (value `null` until its value is read).
    private mutating func parseKey(in frame: inout Frame) throws(JSONParseError) {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
            throw error("expected a string key in object")
        }
        let keyStart = position
        let (key, print) = try parseKeyString()
        let count = openMembers.count - frame.start
        if count < Self.linearKeyLimit {
            var i = frame.start
            while i < openMembers.count {
                if let p = openKeys.pointer(at: i), let m = openMembers.pointer(at: i),
                   KeyPrint.sameKey(print, key, p.pointee, m.pointee.key) {
                    throw error("duplicate key \"\(key)\"", at: keyStart)
                }
                i += 1
            }
        } else {
            if frame.seen == nil {
                var seen = Set<String>(minimumCapacity: count * 2)
                for i in frame.start..<openMembers.count {
                    if let m = openMembers.pointer(at: i) { seen.insert(m.pointee.key) }
                }
                frame.seen = seen
            }
            if frame.seen?.insert(key).inserted == false {
                throw error("duplicate key \"\(key)\"", at: keyStart)
            }
        }
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
            throw error("expected ':' after object key")
        }
        position += 1
        openMembers.append((key: key, value: .null))
        openKeys.append(print)
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = position
        var scanner = NumberScanner(bytes: bytes, position: position)
        guard scanner.scan() else { throw error("invalid number", at: scanner.position) }
        position = scanner.position
        let text = makeString(UnsafeBufferPointer(rebasing: bytes[start..<position]), isASCII: true)
        return .number(JSONNumber(validatedText: text))
    }
}
