import JSON

/// Any bytes: parse (default and shallow depth limit); whatever parses must write back to
/// bytes that parse to the same value, and writing is stable.
enum JSONParserFuzz {
    static func run(_ data: [UInt8]) -> [String] {
        _ = try? JSONParser.parse(data, maxDepth: 4)
        let value: JSONValue
        do { value = try JSONParser.parse(data) } catch {
            if error.message.isEmpty { return ["empty parse error message"] }
            if error.offset < 0 || error.offset > data.count { return ["error offset \(error.offset) outside input"] }
            return []
        }
        let written = JSONWriter.bytes(value)
        let again: JSONValue
        do { again = try JSONParser.parse(written) } catch {
            return ["writer output does not parse: \(error.description)"]
        }
        var problems: [String] = []
        if again != value { problems.append("round trip changed the value") }
        if JSONWriter.bytes(again) != written { problems.append("writer output not stable") }
        return problems
    }
}
