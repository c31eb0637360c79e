/// `==` and hashing for `JSONValue`, written out so that deep values cannot overflow the stack:
/// equality walks an explicit work list, hashing looks at most `hashedLevels` levels deep.
extension JSONValue {
    /// Structural equality: numbers compare numerically and exactly, object members in any order.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        // One allocation up front instead of regrowing 1, 2, 4, 8 for a pod-sized comparison.
        var pending: [(JSONValue, JSONValue)] = []
        pending.reserveCapacity(16)
        pending.append((lhs, rhs))
        while let (a, b) = pending.popLast() {
            switch (a, b) {
            case (.null, .null): continue
            case (.bool(let x), .bool(let y)): guard x == y else { return false }
            case (.number(let x), .number(let y)): guard x == y else { return false }
            case (.string(let x), .string(let y)): guard x == y else { return false }
            case (.array(let x), .array(let y)):
                guard x.count == y.count else { return false }
                // Values share storage after copies and patches: nothing to compare.
                if Self.sameStorage(x, y) { continue }
                pending.append(contentsOf: zip(x, y))
            case (.object(let x), .object(let y)):
                if Self.sameStorage(x.members, y.members) { continue }
                guard x.appendPairedValues(with: y, to: &pending) else { return false }
            default: return false
            }
        }
        return true
    }

    /// Whether two arrays are one buffer (equal counts and the same first element address).
    static func sameStorage<T>(_ a: [T], _ b: [T]) -> Bool {
        guard a.count == b.count, !a.isEmpty else { return a.isEmpty && b.isEmpty }
        return a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in pa.baseAddress == pb.baseAddress } }
    }

    /// Levels hashed below the top; deeper content only contributes through `==`.
    /// Equal values still hash equally, since the cut is the same on both sides.
    static let hashedLevels = 32

    public func hash(into hasher: inout Hasher) {
        hash(into: &hasher, levels: Self.hashedLevels)
    }

    private func hash(into hasher: inout Hasher, levels: Int) {
        switch self {
        case .null: hasher.combine(0 as UInt8)
        case .bool(let b): hasher.combine(1 as UInt8); hasher.combine(b)
        case .number(let n): hasher.combine(2 as UInt8); hasher.combine(n)
        case .string(let s): hasher.combine(3 as UInt8); hasher.combine(s)
        case .array(let a):
            hasher.combine(4 as UInt8)
            hasher.combine(a.count)
            guard levels > 0 else { return }
            for e in a { e.hash(into: &hasher, levels: levels - 1) }
        case .object(let o):
            hasher.combine(5 as UInt8)
            hasher.combine(o.count)
            guard levels > 0 else { return }
            // Order-independent: per-member hashes are summed.
            var sum = 0
            for m in o.members {
                var h = Hasher()
                h.combine(m.key)
                m.value.hash(into: &h, levels: levels - 1)
                sum = sum &+ h.finalize()
            }
            hasher.combine(sum)
        }
    }
}
