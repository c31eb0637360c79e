import JSON
import Testing

/// Documents the parser accepts: the value it builds (checked against a value written out
/// by hand) and the compact text it writes back (member order and number text kept).
@Suite struct ParserValueTests {
    struct Row: CustomStringConvertible, Sendable {
        var input: String
        var value: JSONValue
        var compact: String
        var description: String { input.debugDescription }
    }

    static let long = String(repeating: "0123456789", count: 5)

    static let rows: [Row] = [
        Row(input: " null ", value: .null, compact: "null"),
        Row(input: "true", value: true, compact: "true"),
        Row(input: "[false,null]", value: [false, nil], compact: "[false,null]"),
        Row(input: "{}", value: .object(JSONObject()), compact: "{}"),
        Row(input: "[ ]", value: [], compact: "[]"),
        Row(input: "[[],{},[{}]]", value: [[], .object(JSONObject()), [.object(JSONObject())]], compact: "[[],{},[{}]]"),
        // Numbers keep their text; small and long integers alike.
        Row(input: "[0,-0,7,-12,123456789012345,1234567890123456,12345678901234567890123]",
            value: .array(["0", "-0", "7", "-12", "123456789012345", "1234567890123456", "12345678901234567890123"]
                .map { .number(JSONNumber(parsing: $0)!) }),
            compact: "[0,-0,7,-12,123456789012345,1234567890123456,12345678901234567890123]"),
        Row(input: "[0.5E-3,1e400,-1.25e+2,10]",
            value: .array(["0.5E-3", "1e400", "-1.25e+2", "10"].map { .number(JSONNumber(parsing: $0)!) }),
            compact: "[0.5E-3,1e400,-1.25e+2,10]"),
        // Member order is the document's, not sorted.
        Row(input: "{\"b\":1,\"a\":2,\"c\":{\"z\":[1],\"y\":null}}",
            value: ["b": 1, "a": 2, "c": ["z": [1], "y": nil]],
            compact: "{\"b\":1,\"a\":2,\"c\":{\"z\":[1],\"y\":null}}"),
        // Escapes, surrogate pairs, non-ASCII text, and long strings on either path.
        Row(input: "[\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\",\"\\u00e9\\u20AC\\uD83D\\uDE00\",\"\u{E9}\u{20AC}\u{1F600}\"]",
            value: ["a\"b\\c/d\u{8}\u{C}\n\r\t", "\u{E9}\u{20AC}\u{1F600}", "\u{E9}\u{20AC}\u{1F600}"],
            compact: "[\"a\\\"b\\\\c/d\\b\\f\\n\\r\\t\",\"\u{E9}\u{20AC}\u{1F600}\",\"\u{E9}\u{20AC}\u{1F600}\"]"),
        Row(input: "[\"\(long)\",\"\(long)\\n\",\"\u{E9}\(long)\"]",
            value: .array([.string(long), .string(long + "\n"), .string("\u{E9}" + long)]),
            compact: "[\"\(long)\",\"\(long)\\n\",\"\u{E9}\(long)\"]"),
        Row(input: "{\"\u{43A}\u{43B}\u{44E}\u{447}\":\"\u{437}\u{43D}\u{430}\u{447}\u{435}\u{43D}\u{438}\u{435}\",\"\\u006b\":1}",
            value: ["\u{43A}\u{43B}\u{44E}\u{447}": "\u{437}\u{43D}\u{430}\u{447}\u{435}\u{43D}\u{438}\u{435}", "k": 1],
            compact: "{\"\u{43A}\u{43B}\u{44E}\u{447}\":\"\u{437}\u{43D}\u{430}\u{447}\u{435}\u{43D}\u{438}\u{435}\",\"k\":1}"),
        // Long Kubernetes keys and values (shared by the parser) read like any other string,
        // also when escaped, and near misses stay what they are.
        Row(input: "{\"creationTimestamp\":null,\"terminationMessagePath\":\"/dev/termination-log\","
                + "\"terminationMessagePolic\\u0079\":\"File\",\"creationTimestampX\":1,\"creationTimestamq\":2,"
                + "\"ownerReferences\":[],\"managedFields\":[]}",
            value: ["creationTimestamp": nil, "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File", "creationTimestampX": 1, "creationTimestamq": 2,
                    "ownerReferences": [], "managedFields": []],
            compact: "{\"creationTimestamp\":null,\"terminationMessagePath\":\"/dev/termination-log\","
                + "\"terminationMessagePolicy\":\"File\",\"creationTimestampX\":1,\"creationTimestamq\":2,"
                + "\"ownerReferences\":[],\"managedFields\":[]}"),
        // 40 members: past the linear duplicate check.
        Row(input: "{" + (0..<40).map { "\"key-\($0)\":\($0)" }.joined(separator: ",") + "}",
            value: .object(JSONObject((0..<40).map { (key: "key-\($0)", value: .number(JSONNumber($0))) })),
            compact: "{" + (0..<40).map { "\"key-\($0)\":\($0)" }.joined(separator: ",") + "}"),
        // Keys that differ only after the first 16 bytes, or only in length.
        Row(input: "{\"abcdefghijklmnopq\":1,\"abcdefghijklmnopr\":2,\"abcdefghijklmnop\":3,\"abcdefghijklmno\":4}",
            value: ["abcdefghijklmnopq": 1, "abcdefghijklmnopr": 2, "abcdefghijklmnop": 3, "abcdefghijklmno": 4],
            compact: "{\"abcdefghijklmnopq\":1,\"abcdefghijklmnopr\":2,\"abcdefghijklmnop\":3,\"abcdefghijklmno\":4}"),
    ]

    @Test(arguments: rows)
    func parses(_ row: Row) throws {
        let value = try JSONParser.parse(Array(row.input.utf8))
        #expect(value == row.value)
        #expect(JSONWriter.string(value) == row.compact)
        // The same through the String entry point.
        #expect(try JSONParser.parse(row.input) == row.value)
    }

    /// Keys read from a document are ordinary strings: equal to, hash like and look up like
    /// the same text made any other way, whether or not the parser shared them.
    @Test(arguments: ["creationTimestamp", "terminationMessagePath", "terminationMessagePolicy",
                      "serviceAccountName", "ownerReferences", "managedFields", "apiVersion", "k",
                      "a-key-nobody-interns-at-all", "\u{E9}t\u{E9}-\u{E9}t\u{E9}-\u{E9}t\u{E9}-\u{E9}t\u{E9}"])
    func keysAreOrdinaryStrings(_ key: String) throws {
        let built = String(decoding: Array(key.utf8), as: UTF8.self)
        let escaped = key.unicodeScalars.map { "\\u" + String(String($0.value, radix: 16).reversed()).padding4() }.joined()
        for text in ["{\"\(key)\":\"\(key)\"}", "{\"\(escaped)\":\"\(escaped)\"}"] {
            let value = try JSONParser.parse(text)
            let object = try #require(value.objectValue)
            #expect(object.keys == [built])
            #expect(object[built] == .string(built))
            #expect(value[built]?.stringValue == built)
            #expect(object.keys.first?.utf8.elementsEqual(key.utf8) == true)
            var h1 = Hasher(), h2 = Hasher()
            h1.combine(try #require(object.keys.first))
            h2.combine(built)
            #expect(h1.finalize() == h2.finalize())
        }
    }
}

private extension String {
    /// `self` reversed back and left-padded with zeros to four hex digits (see the caller).
    func padding4() -> String {
        let digits = String(reversed())
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
