import JSON
import Testing

/// Every way the strict parser rejects a document, with the exact message and position
/// (byte offset, 1-based line and column) it reports. Recorded from the parser before the
/// byte-level rewrite, so a faster parser must fail in exactly the same place with the same words.
@Suite struct ParserErrorTests {
    struct Row: CustomStringConvertible, Sendable {
        var bytes: [UInt8]
        var message: String
        var offset: Int
        var line: Int
        var column: Int
        init(_ text: String, _ message: String, _ offset: Int, _ line: Int, _ column: Int) {
            self.init(Array(text.utf8), message, offset, line, column)
        }
        init(_ bytes: [UInt8], _ message: String, _ offset: Int, _ line: Int, _ column: Int) {
            self.bytes = bytes; self.message = message; self.offset = offset; self.line = line; self.column = column
        }
        var description: String { String(decoding: bytes, as: UTF8.self).debugDescription + " → " + message }
    }

    static func bytes(_ parts: [UInt8]...) -> [UInt8] { parts.flatMap { $0 } }
    static func u(_ s: String) -> [UInt8] { Array(s.utf8) }

    static let structure: [Row] = [
        Row("", "unexpected end of input", 0, 1, 1),
        Row("   ", "unexpected end of input", 3, 1, 4),
        Row("{", "expected a string key in object", 1, 1, 2),
        Row("[", "unexpected end of input", 1, 1, 2),
        Row("[1", "unterminated array", 2, 1, 3),
        Row("[1,", "unexpected end of input", 3, 1, 4),
        Row("{\"a\"", "expected ':' after object key", 4, 1, 5),
        Row("{\"a\":", "unexpected end of input", 5, 1, 6),
        Row("{\"a\":1", "unterminated object", 6, 1, 7),
        Row("{\"a\":1,", "expected a string key in object", 7, 1, 8),
        Row("{\"a\" 1}", "expected ':' after object key", 5, 1, 6),
        Row("{1:2}", "expected a string key in object", 1, 1, 2),
        Row("[1 2]", "expected ',' or ']' in array", 3, 1, 4),
        Row("{\"a\":1 \"b\":2}", "expected ',' or '}' in object", 7, 1, 8),
        Row("{\"a\":[1,2,{\"b\":}]}", "unexpected character", 15, 1, 16),
        Row("[1,]", "unexpected character", 3, 1, 4),
        Row("{\"a\":1,}", "expected a string key in object", 7, 1, 8),
        Row(u("\u{FEFF}{}"), "unexpected character", 0, 1, 1),
        Row("1 2", "unexpected data after the JSON value", 2, 1, 3),
        Row("{} x", "unexpected data after the JSON value", 3, 1, 4),
        Row("[]]", "unexpected data after the JSON value", 2, 1, 3),
        Row("{\n  \"a\": tru\n}", "invalid literal", 9, 2, 8),
        Row("\"\u{E9}\" x", "unexpected data after the JSON value", 5, 1, 5),
    ]

    static let literalsAndNumbers: [Row] = [
        Row("tru", "invalid literal", 0, 1, 1),
        Row("nul", "invalid literal", 0, 1, 1),
        Row("falsy", "invalid literal", 0, 1, 1),
        Row("True", "unexpected character", 0, 1, 1),
        Row("01", "unexpected data after the JSON value", 1, 1, 2),
        Row("-", "invalid number", 1, 1, 2),
        Row("1.", "invalid number", 2, 1, 3),
        Row("1e", "invalid number", 2, 1, 3),
        Row("1e+", "invalid number", 3, 1, 4),
        Row("-a", "invalid number", 1, 1, 2),
        Row(".5", "unexpected character", 0, 1, 1),
        Row("+1", "unexpected character", 0, 1, 1),
        Row("[1.e3]", "invalid number", 3, 1, 4),
        Row("[-01]", "expected ',' or ']' in array", 3, 1, 4),
    ]

    static let strings: [Row] = [
        Row("\"abc", "unterminated string", 0, 1, 1),
        Row("\"a\\", "unterminated string", 0, 1, 1),
        Row("\"\\x\"", "invalid escape sequence in string", 1, 1, 2),
        Row("\"\\u12\"", "truncated \\u escape", 3, 1, 4),
        Row("[\"\\u00", "truncated \\u escape", 4, 1, 5),
        Row("\"\\u12G4\"", "invalid hex digit in \\u escape", 5, 1, 6),
        Row("\"\\uD800\"", "lone high surrogate in string escape", 1, 1, 2),
        Row("\"\\uD800\\u0041\"", "lone high surrogate in string escape", 1, 1, 2),
        Row("\"\\uD800x\"", "lone high surrogate in string escape", 1, 1, 2),
        Row("\"\\uDC00\"", "lone low surrogate in string escape", 1, 1, 2),
        Row("\"a\tb\"", "control character in string", 2, 1, 3),
        Row("[\"a\nb\"]", "control character in string", 3, 1, 4),
        Row("\"\\n\t\"", "control character in string", 3, 1, 4),
        Row([0x22, 0xFF, 0x22], "invalid UTF-8 in string", 1, 1, 2),
        Row([0x22, 0x61, 0xC3, 0x22], "invalid UTF-8 in string", 2, 1, 3),
        Row([0x22, 0xC0, 0x80, 0x22], "invalid UTF-8 in string", 1, 1, 2),
        Row([0x22, 0xED, 0xA0, 0x80, 0x22], "invalid UTF-8 in string", 1, 1, 2),
        Row([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], "invalid UTF-8 in string", 1, 1, 2),
        Row([0x22, 0x5C, 0x6E, 0xFF, 0x22], "invalid UTF-8 in string", 3, 1, 4),
        // Long strings: the bad byte is found wherever it is, not only in the first word.
        Row(bytes(u("\"0123456789abcdef0123456789"), [0xE2, 0x82], u("\"")), "invalid UTF-8 in string", 27, 1, 28),
        Row(bytes(u("\"0123456789abcdef\u{E9}0123456789"), [0x80], u("\"")), "invalid UTF-8 in string", 29, 1, 29),
        Row(bytes(u("[\"0123456789abcdef0123456789\\n"), [0xF5, 0x80, 0x80, 0x80], u("\"]")), "invalid UTF-8 in string", 30, 1, 31),
        Row(u("\"0123456789abcdef0123456789\u{1}\""), "control character in string", 27, 1, 28),
        Row(u("\"0123456789abcdef0123456789"), "unterminated string", 0, 1, 1),
    ]

    /// Keys that look like the long Kubernetes keys the parser shares, but are not valid.
    static let keys: [Row] = [
        Row(bytes(u("{\"creationTimestam"), [0xFF], u("\":1}")), "invalid UTF-8 in string", 18, 1, 19),
        Row(bytes(u("{\"terminationMessagePat"), [0xC3], u("\":1}")), "invalid UTF-8 in string", 23, 1, 24),
        Row(bytes(u("{\"creationTimestamp"), [0x01], u("\":1}")), "control character in string", 19, 1, 20),
        Row(u("{\"creationTimestamp\\q\":1}"), "invalid escape sequence in string", 19, 1, 20),
        Row(u("{\"creationTimestamp"), "unterminated string", 1, 1, 2),
        Row(u("{\"creationTimestamp\":"), "unexpected end of input", 21, 1, 22),
        Row(u("{\"creationTimestamp\" 1}"), "expected ':' after object key", 21, 1, 22),
    ]

    static let duplicates: [Row] = [
        Row("{\"a\":1,\"a\":2}", "duplicate key \"a\"", 7, 1, 8),
        Row("{\"a\":1,\"\\u0061\":2}", "duplicate key \"a\"", 7, 1, 8),
        // Keys are compared as Swift strings (canonical equivalence), as member lookup does.
        Row("{\"K\":1,\"\\u212A\":2}", "duplicate key \"\u{212A}\"", 7, 1, 8),
        Row("{\"\\u212A\":1,\"K\":2}", "duplicate key \"K\"", 12, 1, 13),
        Row("{\"\u{E9}\":1,\"e\u{301}\":2}", "duplicate key \"e\u{301}\"", 8, 1, 8),
        Row("{\"creationTimestamp\":1,\"b\":2,\"creationTimestamp\":3}", "duplicate key \"creationTimestamp\"", 29, 1, 30),
        Row("{\"creationTimestamp\":1,\"creationTimestam\\u0070\":3}", "duplicate key \"creationTimestamp\"", 23, 1, 24),
        Row("{\"x\":{\"a\":1},\"y\":{\"b\":2,\"b\":3}}", "duplicate key \"b\"", 24, 1, 25),
        Row("{" + (0..<20).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + ",\"k7\":0}", "duplicate key \"k7\"", 161, 1, 162),
        Row("{" + (0..<40).map { "\"key-\($0)\":[\($0)]" }.joined(separator: ",") + ",\"key-39\":0}",
            "duplicate key \"key-39\"", 541, 1, 542),
        Row("{" + (0..<20).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + ",\"\\u212A\":1,\"K\":0}",
            "duplicate key \"K\"", 172, 1, 173),
    ]

    @Test(arguments: structure + literalsAndNumbers + strings + keys + duplicates)
    func rejects(_ row: Row) {
        do {
            let value = try JSONParser.parse(row.bytes)
            Issue.record("accepted as \(value)")
        } catch {
            #expect(error.message == row.message)
            #expect(error.message.utf8.elementsEqual(row.message.utf8))
            #expect([error.offset, error.line, error.column] == [row.offset, row.line, row.column])
        }
    }
}
