/// A JSON object that keeps its members in the order they were read or added.
///
/// Kubernetes objects have few keys per level, so a flat array with linear lookup
/// beats a hash table here and keeps the order for byte-stable output.
/// Equality ignores member order (JSON semantics), as does hashing.
public struct JSONObject: Sendable, Hashable, Sequence {
    public typealias Member = (key: String, value: JSONValue)

    public private(set) var members: [Member]

    public init() { members = [] }

    /// Members in the given order; a later duplicate key replaces the earlier value (keeping
    /// the earlier position).
    public init(_ members: [Member]) {
        self.members = []
        self.members.reserveCapacity(members.count)
        if members.count <= Self.linearLimit {
            for m in members { self[m.key] = m.value }
            return
        }
        var position: [String: Int] = [:]
        position.reserveCapacity(members.count)
        for m in members {
            if let i = position[m.key] {
                self.members[i].value = m.value
            } else {
                position[m.key] = self.members.count
                self.members.append(m)
            }
        }
    }

    /// Up to this many members, linear scans beat building a hash table.
    static let linearLimit = 16

    /// Members known to have unique keys (the parser checks this itself).
    init(uniqueMembers: [Member]) { self.members = uniqueMembers }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    public var keys: [String] { members.map(\.key) }

    public func index(forKey key: String) -> Int? {
        members.firstIndex(where: { $0.key == key })
    }

    public func contains(_ key: String) -> Bool { index(forKey: key) != nil }

    /// Get, replace in place (order kept), append, or remove (`nil`) a member.
    public subscript(key: String) -> JSONValue? {
        get {
            for m in members where m.key == key { return m.value }
            return nil
        }
        set {
            if let i = index(forKey: key) {
                if let newValue { members[i].value = newValue } else { members.remove(at: i) }
            } else if let newValue {
                members.append((key: key, value: newValue))
            }
        }
    }

    /// Runs `body` on the member's value in place (no copy of the value when this object
    /// is uniquely referenced); `nil` when the key is absent.
    public mutating func withMutableValue<R, E: Error>(
        forKey key: String, _ body: (inout JSONValue) throws(E) -> R
    ) throws(E) -> R? {
        guard let i = index(forKey: key) else { return nil }
        return try body(&members[i].value)
    }

    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let i = index(forKey: key) else { return nil }
        return members.remove(at: i).value
    }

    public func makeIterator() -> IndexingIterator<[Member]> { members.makeIterator() }

    /// Same members with equal values, in any order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        JSONValue.object(lhs) == JSONValue.object(rhs)
    }

    /// Appends the values of `self` and `other` under each key to `pairs`; false when the key
    /// sets differ (then `pairs` may hold some of the pairs).
    func appendPairedValues(with other: JSONObject, to pairs: inout [(JSONValue, JSONValue)]) -> Bool {
        let n = members.count
        guard n == other.members.count else { return false }
        // Usually both sides share one order: walk them together while the keys agree.
        var i = 0
        while i < n, members[i].key == other.members[i].key {
            pairs.append((members[i].value, other.members[i].value))
            i += 1
        }
        if i == n { return true }
        // Keys are unique on both sides, so equal counts plus every key found means equal key sets.
        if n - i <= Self.linearLimit {
            for m in members[i...] {
                guard let j = other.members[i...].firstIndex(where: { $0.key == m.key }) else { return false }
                pairs.append((m.value, other.members[j].value))
            }
            return true
        }
        var position: [String: Int] = [:]
        position.reserveCapacity(n - i)
        for j in i..<n { position[other.members[j].key] = j }
        for m in members[i...] {
            guard let j = position[m.key] else { return false }
            pairs.append((m.value, other.members[j].value))
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        JSONValue.object(self).hash(into: &hasher)
    }
}
