import JSON

extension JSONPatch {
    /// Reads a parsed patch document (a JSON array of operation objects).
    ///
    /// Strict about what RFC 6902 requires: `op`, `path` and the op's `from`/`value`
    /// must be present, `op`/`path`/`from` must be strings and pointers must be valid.
    /// Members an operation does not define are ignored (RFC 6902 §4).
    public static func decode(_ value: JSONValue) throws(JSONPatchError) -> [PatchOperation] {
        guard case .array(let elements) = value else {
            throw failure(.invalidOperation, "a patch must be a JSON array, not \(article(value.typeName))")
        }
        var ops: [PatchOperation] = []
        ops.reserveCapacity(elements.count)
        for (i, element) in elements.enumerated() {
            do {
                ops.append(try decodeOperation(element))
            } catch {
                var e = error
                e.operationIndex = i
                throw e
            }
        }
        return ops
    }

    /// The patch as a compact JSON array, members in `op`, `path`, `from`, `value` order.
    /// Written straight into bytes (the same text as writing each `op.jsonValue`).
    public static func encode(_ ops: [PatchOperation]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(2 + ops.count * 64)
        out.append(UInt8(ascii: "["))
        for (i, op) in ops.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"op":"#.utf8)
            JSONWriter.writeString(op.opName, into: &out)
            out.append(contentsOf: #","path":"#.utf8)
            switch op {
            case .add(let p, let v), .replace(let p, let v), .test(let p, let v):
                writePointer(p, into: &out)
                out.append(contentsOf: #","value":"#.utf8)
                JSONWriter.write(v, into: &out)
            case .remove(let p):
                writePointer(p, into: &out)
            case .move(let f, let p), .copy(let f, let p):
                writePointer(p, into: &out)
                out.append(contentsOf: #","from":"#.utf8)
                writePointer(f, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    /// A pointer as a JSON string. Tokens without `~`, `/`, `"`, `\` or control characters
    /// (nearly all) are copied as they are; otherwise the pointer's text is escaped.
    static func writePointer(_ p: JSONPointer, into out: inout [UInt8]) {
        let plain = p.tokens.allSatisfy { t in
            t.utf8.allSatisfy { $0 >= 0x20 && $0 != UInt8(ascii: "~") && $0 != UInt8(ascii: "/")
                && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        }
        guard plain else {
            JSONWriter.writeString(p.description, into: &out)
            return
        }
        out.append(UInt8(ascii: "\""))
        for t in p.tokens {
            out.append(UInt8(ascii: "/"))
            out.append(contentsOf: t.utf8)
        }
        out.append(UInt8(ascii: "\""))
    }

    static func decodeOperation(_ element: JSONValue) throws(JSONPatchError) -> PatchOperation {
        guard case .object(let o) = element else {
            throw failure(.invalidOperation, "an operation must be an object, not \(article(element.typeName))")
        }
        guard let opMember = o["op"] else { throw failure(.invalidOperation, "missing \"op\" member") }
        guard case .string(let name) = opMember else {
            throw failure(.invalidOperation, "\"op\" must be a string, not \(article(opMember.typeName))")
        }
        switch name {
        case "add": return .add(path: try pointer("path", in: o), value: try member("value", in: o))
        case "remove": return .remove(path: try pointer("path", in: o))
        case "replace": return .replace(path: try pointer("path", in: o), value: try member("value", in: o))
        case "move": return .move(from: try pointer("from", in: o), path: try pointer("path", in: o))
        case "copy": return .copy(from: try pointer("from", in: o), path: try pointer("path", in: o))
        case "test": return .test(path: try pointer("path", in: o), value: try member("value", in: o))
        default: throw failure(.invalidOperation, "unknown op \(quoted(name))")
        }
    }

    private static func member(_ name: String, in o: JSONObject) throws(JSONPatchError) -> JSONValue {
        guard let v = o[name] else { throw failure(.invalidOperation, "missing \"\(name)\" member") }
        return v
    }

    private static func pointer(_ name: String, in o: JSONObject) throws(JSONPatchError) -> JSONPointer {
        let v = try member(name, in: o)
        guard case .string(let text) = v else {
            throw failure(.invalidOperation, "\"\(name)\" must be a string, not \(article(v.typeName))")
        }
        do {
            return try JSONPointer(parsing: text)
        } catch {
            throw failure(.invalidOperation, "\"\(name)\": \(error.description)")
        }
    }

    private static func article(_ typeName: String) -> String {
        typeName.first.map { "aeiou".contains($0) } == true ? "an \(typeName)" : "a \(typeName)"
    }
}
