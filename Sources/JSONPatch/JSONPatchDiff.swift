import JSON

extension JSONPatch {
    /// Operations turning `from` into `to` (values under `at`), deterministic and small:
    ///
    /// - equal values (JSONValue `==`, numeric number equality) give nothing;
    /// - objects: `remove` for dropped keys (in `from` order), recursion into keys present
    ///   in both (in `from` order), `add` for new keys (in `to` order) — never a whole-object
    ///   replace just to add or drop members, never an `add` below a missing parent;
    /// - arrays: a common prefix and suffix of equal elements are kept, the differing middle is
    ///   diffed pairwise, then surplus old elements are removed from the back, or new elements
    ///   added by index in ascending order;
    /// - anything else (different types, scalars): `replace`.
    public static func diff(from: JSONValue, to: JSONValue, at: JSONPointer = .root) -> [PatchOperation] {
        var ops: [PatchOperation] = []
        diff(from, to, at, into: &ops)
        return ops
    }

    private static func diff(_ a: JSONValue, _ b: JSONValue, _ path: JSONPointer, into ops: inout [PatchOperation]) {
        if a == b { return }
        switch (a, b) {
        case (.object(let oa), .object(let ob)):
            for m in oa where !ob.contains(m.key) {
                ops.append(.remove(path: path.appending(m.key)))
            }
            for m in oa {
                if let nb = ob[m.key] { diff(m.value, nb, path.appending(m.key), into: &ops) }
            }
            for m in ob where !oa.contains(m.key) {
                ops.append(.add(path: path.appending(m.key), value: m.value))
            }
        case (.array(let xa), .array(let xb)):
            diffArrays(xa, xb, path, into: &ops)
        default:
            ops.append(.replace(path: path, value: b))
        }
    }

    private static func diffArrays(_ a: [JSONValue], _ b: [JSONValue], _ path: JSONPointer, into ops: inout [PatchOperation]) {
        let shorter = min(a.count, b.count)
        var head = 0
        while head < shorter, a[head] == b[head] { head += 1 }
        var tail = 0
        while tail < shorter - head, a[a.count - 1 - tail] == b[b.count - 1 - tail] { tail += 1 }
        // Middle ranges: a[head..<aEnd] becomes b[head..<bEnd].
        let aEnd = a.count - tail, bEnd = b.count - tail
        let paired = min(aEnd, bEnd)
        for i in head..<paired {
            diff(a[i], b[i], path.appending(i), into: &ops)
        }
        if aEnd > paired {
            for i in stride(from: aEnd - 1, through: paired, by: -1) {
                ops.append(.remove(path: path.appending(i)))
            }
        } else if bEnd > paired {
            for i in paired..<bEnd {
                ops.append(.add(path: path.appending(i), value: b[i]))
            }
        }
    }
}
