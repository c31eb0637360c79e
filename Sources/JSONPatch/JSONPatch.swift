import JSON

/// RFC 6902 JSON Patch: apply, decode/encode patch documents, and diff two values.
public enum JSONPatch {
    /// Applies `ops` in order and returns the patched document. Atomic: on any error
    /// nothing is returned and `document` (a value) is untouched.
    ///
    /// Works on one copy mutated in place: each operation copies at most the containers on
    /// its path that are still shared with `document`, never the whole tree.
    public static func apply(_ ops: [PatchOperation], to document: JSONValue) throws(JSONPatchError) -> JSONValue {
        var doc = document
        for (i, op) in ops.enumerated() {
            do {
                try apply(op, to: &doc)
            } catch {
                var e = error
                e.operationIndex = i
                throw e
            }
        }
        return doc
    }

    /// Applies one operation in place; on error `doc` may be partly changed (callers discard it).
    static func apply(_ op: PatchOperation, to doc: inout JSONValue) throws(JSONPatchError) {
        switch op {
        case .add(let path, let value):
            try add(value, at: path, in: &doc)
        case .remove(let path):
            _ = try remove(path, from: &doc, role: "path")
        case .replace(let path, let value):
            try replace(path, with: value, in: &doc)
        case .move(let from, let path):
            if from == path {
                _ = try value(at: from, in: doc, role: "from")
                return
            }
            if from.isPrefix(of: path) {
                throw failure(.invalidTarget, "cannot move \(quoted(from)) into its own child \(quoted(path))")
            }
            let moved = try remove(from, from: &doc, role: "from")
            try add(moved, at: path, in: &doc)
        case .copy(let from, let path):
            let copied = try value(at: from, in: doc, role: "from")
            try add(copied, at: path, in: &doc)
        case .test(let path, let expected):
            let actual = try value(at: path, in: doc, role: "path")
            guard actual == expected else {
                throw failure(.testFailed, "test failed: value at \(quoted(path)) is not equal to the expected value")
            }
        }
    }

    // MARK: - operations

    static func add(_ newValue: JSONValue, at path: JSONPointer, in doc: inout JSONValue) throws(JSONPatchError) {
        guard let last = path.lastToken else { doc = newValue; return }
        try withParent(of: path, in: &doc, role: "path") { (parent) throws(JSONPatchError) in
            if var o = parent.takeObject() {
                o[last] = newValue
                parent = .object(o)
                return
            }
            if var a = parent.takeArray() {
                defer { parent = .array(a) }
                let i: Int
                if last == "-" {
                    i = a.count
                } else {
                    guard let j = JSONPointer.arrayIndex(last) else { throw badIndex(last, path) }
                    guard j <= a.count else {
                        throw failure(.invalidIndex, "path \(quoted(path)): index \(j) is beyond the end of an array of \(a.count)")
                    }
                    i = j
                }
                a.insert(newValue, at: i)
                return
            }
            throw notContainer(parent, path, depth: path.tokens.count - 1)
        }
    }

    static func remove(_ path: JSONPointer, from doc: inout JSONValue, role: String) throws(JSONPatchError) -> JSONValue {
        guard let last = path.lastToken else {
            throw failure(.invalidTarget, "\(role) \"\": cannot remove the whole document")
        }
        return try withParent(of: path, in: &doc, role: role) { (parent) throws(JSONPatchError) -> JSONValue in
            if var o = parent.takeObject() {
                defer { parent = .object(o) }
                guard let removed = o.removeValue(forKey: last) else {
                    throw missing(path, depth: path.tokens.count, role: role)
                }
                return removed
            }
            if var a = parent.takeArray() {
                defer { parent = .array(a) }
                let i = try existingIndex(last, count: a.count, path, role: role)
                return a.remove(at: i)
            }
            throw notContainer(parent, path, depth: path.tokens.count - 1, role: role)
        }
    }

    static func replace(_ path: JSONPointer, with newValue: JSONValue, in doc: inout JSONValue) throws(JSONPatchError) {
        guard let last = path.lastToken else { doc = newValue; return }
        try withParent(of: path, in: &doc, role: "path") { (parent) throws(JSONPatchError) in
            if var o = parent.takeObject() {
                defer { parent = .object(o) }
                let found: Void? = o.withMutableValue(forKey: last) { $0 = newValue }
                if found == nil { throw missing(path, depth: path.tokens.count, role: "path") }
                return
            }
            if var a = parent.takeArray() {
                defer { parent = .array(a) }
                let i = try existingIndex(last, count: a.count, path, role: "path")
                a[i] = newValue
                return
            }
            throw notContainer(parent, path, depth: path.tokens.count - 1)
        }
    }

    // MARK: - navigation

    /// The value `pointer` names, or an error saying which step failed.
    static func value(at pointer: JSONPointer, in doc: JSONValue, role: String) throws(JSONPatchError) -> JSONValue {
        var current = doc
        for (depth, token) in pointer.tokens.enumerated() {
            switch current {
            case .object(let o):
                guard let v = o[token] else { throw missing(pointer, depth: depth + 1, role: role) }
                current = v
            case .array(let a):
                current = a[try existingIndex(token, count: a.count, pointer, role: role)]
            default:
                throw notContainer(current, pointer, depth: depth, role: role)
            }
        }
        return current
    }

    /// Runs `body` on the parent container of `pointer` (which must not be the root), in place.
    static func withParent<R>(
        of pointer: JSONPointer, in doc: inout JSONValue, role: String,
        _ body: (inout JSONValue) throws(JSONPatchError) -> R
    ) throws(JSONPatchError) -> R {
        try descend(&doc, pointer, depth: 0, end: pointer.tokens.count - 1, role: role, body)
    }

    /// Walks down `pointer.tokens[depth..<end]`. Each container is moved out of its enum
    /// case before mutation (`takeObject`/`takeArray` leave `.null` behind for a moment) so
    /// it stays uniquely referenced and is changed in place instead of copied. (Binding the
    /// payload in a `switch` on `value` and then assigning `.null` is not enough: the switch
    /// keeps its own copy of the subject, and every operation copied every object and array
    /// on its path.)
    private static func descend<R>(
        _ value: inout JSONValue, _ pointer: JSONPointer, depth: Int, end: Int, role: String,
        _ body: (inout JSONValue) throws(JSONPatchError) -> R
    ) throws(JSONPatchError) -> R {
        if depth >= end { return try body(&value) }
        let token = pointer.tokens[depth]
        if var o = value.takeObject() {
            defer { value = .object(o) }
            let result = try o.withMutableValue(forKey: token) { (child) throws(JSONPatchError) -> R in
                try descend(&child, pointer, depth: depth + 1, end: end, role: role, body)
            }
            guard let result else { throw missing(pointer, depth: depth + 1, role: role) }
            return result
        }
        if var a = value.takeArray() {
            defer { value = .array(a) }
            let i = try existingIndex(token, count: a.count, pointer, role: role)
            return try descend(&a[i], pointer, depth: depth + 1, end: end, role: role, body)
        }
        throw notContainer(value, pointer, depth: depth, role: role)
    }

    /// An index naming an existing element: canonical digits and below `count`.
    private static func existingIndex(_ token: String, count: Int, _ pointer: JSONPointer, role: String) throws(JSONPatchError) -> Int {
        guard let i = JSONPointer.arrayIndex(token) else { throw badIndex(token, pointer, role: role) }
        guard i < count else {
            throw failure(.invalidIndex, "\(role) \(quoted(pointer)): index \(i) is out of range for an array of \(count)")
        }
        return i
    }

    // MARK: - errors

    static func failure(_ kind: JSONPatchError.Kind, _ message: String) -> JSONPatchError {
        JSONPatchError(kind: kind, operationIndex: nil, message: message)
    }

    static func quoted(_ p: JSONPointer) -> String { quoted(p.description) }

    /// Input text in a message as a JSON string literal: a newline or control character from the
    /// input cannot break the one-line error apart.
    static func quoted(_ s: String) -> String { JSONWriter.string(.string(s)) }

    private static func prefix(_ p: JSONPointer, _ depth: Int) -> JSONPointer {
        JSONPointer(tokens: Array(p.tokens.prefix(depth)))
    }

    private static func missing(_ p: JSONPointer, depth: Int, role: String) -> JSONPatchError {
        let at = prefix(p, depth)
        if at == p { return failure(.pathNotFound, "\(role) \(quoted(p)) does not exist") }
        return failure(.pathNotFound, "\(role) \(quoted(p)): \(quoted(at)) does not exist")
    }

    private static func badIndex(_ token: String, _ p: JSONPointer, role: String = "path") -> JSONPatchError {
        failure(.invalidIndex, "\(role) \(quoted(p)): \(quoted(token)) is not a valid array index")
    }

    private static func notContainer(_ v: JSONValue, _ p: JSONPointer, depth: Int, role: String = "path") -> JSONPatchError {
        failure(.notAContainer, "\(role) \(quoted(p)): \(quoted(prefix(p, depth))) is a \(v.typeName), not an object or array")
    }
}

extension JSONValue {
    /// The object, leaving `.null` in its place, so the caller holds the only reference to
    /// its storage; nil (and `self` unchanged) when `self` is not an object.
    fileprivate mutating func takeObject() -> JSONObject? {
        guard case .object(let o) = self else { return nil }
        self = .null
        return o
    }

    /// The array, leaving `.null` in its place; nil (and `self` unchanged) when not an array.
    fileprivate mutating func takeArray() -> [JSONValue]? {
        guard case .array(let a) = self else { return nil }
        self = .null
        return a
    }
}
