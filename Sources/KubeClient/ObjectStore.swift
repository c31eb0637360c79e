import JSON
import Synchronization

/// Where an informer puts what it lists and watches. Implementations decode and index.
public protocol InformerSink: Sendable {
    /// Replaces everything with a fresh list.
    func replace(_ objects: [JSONValue])
    func upsert(_ object: JSONValue)
    func delete(_ object: JSONValue)
    var count: Int { get }
}

/// A cache of decoded objects keyed by `namespace/name`, with a secondary index
/// (e.g. MPAs by scale target) so look-ups never scan.
public final class IndexedStore<Value: Sendable>: InformerSink, Sendable {
    private struct State {
        var items: [String: Value] = [:]
        var indexOf: [String: [String]] = [:]
        var index: [String: Set<String>] = [:]
        /// Bumped by every replace, upsert and delete: values derived from the store are
        /// current while the generation they were computed at is.
        var generation: UInt64 = 0
    }

    private let state = Mutex(State())
    private let decode: @Sendable (JSONValue) throws -> Value
    private let indexKeys: @Sendable (Value) -> [String]
    /// Called with the reason when an object cannot be decoded (it is then left out).
    private let onDecodeError: @Sendable (String, any Error) -> Void

    public init(decode: @escaping @Sendable (JSONValue) throws -> Value,
                indexKeys: @escaping @Sendable (Value) -> [String],
                onDecodeError: @escaping @Sendable (String, any Error) -> Void = { _, _ in }) {
        self.decode = decode
        self.indexKeys = indexKeys
        self.onDecodeError = onDecodeError
    }

    static func key(of object: JSONValue) -> String? {
        guard let name = object["metadata"]?["name"]?.stringValue, !name.isEmpty else { return nil }
        return (object["metadata"]?["namespace"]?.stringValue ?? "") + "/" + name
    }

    public func replace(_ objects: [JSONValue]) {
        var fresh = State()
        for o in objects {
            guard let key = Self.key(of: o), let value = decodeOrReport(o, key: key) else { continue }
            Self.insert(&fresh, key: key, value: value, keys: indexKeys(value))
        }
        state.withLock { s in
            fresh.generation = s.generation &+ 1
            s = fresh
        }
    }

    public func upsert(_ object: JSONValue) {
        guard let key = Self.key(of: object) else { return }
        guard let value = decodeOrReport(object, key: key) else {
            state.withLock { Self.remove(&$0, key: key); $0.generation &+= 1 }
            return
        }
        let keys = indexKeys(value)
        state.withLock { s in
            Self.remove(&s, key: key)
            Self.insert(&s, key: key, value: value, keys: keys)
            s.generation &+= 1
        }
    }

    public func delete(_ object: JSONValue) {
        guard let key = Self.key(of: object) else { return }
        state.withLock { Self.remove(&$0, key: key); $0.generation &+= 1 }
    }

    /// Changes so far (see `values(indexedBy:)`).
    public var generation: UInt64 { state.withLock { $0.generation } }

    public var count: Int { state.withLock { $0.items.count } }

    public func get(_ key: String) -> Value? { state.withLock { $0.items[key] } }

    /// Values under one index key, ordered by their `namespace/name` key.
    public func values(indexedBy indexKey: String) -> [Value] {
        valuesAndGeneration(indexedBy: indexKey).values
    }

    /// `values(indexedBy:)` and the generation they were read at, under one lock.
    public func valuesAndGeneration(indexedBy indexKey: String) -> (values: [Value], generation: UInt64) {
        state.withLock { s in
            ((s.index[indexKey] ?? []).sorted().compactMap { s.items[$0] }, s.generation)
        }
    }

    private func decodeOrReport(_ object: JSONValue, key: String) -> Value? {
        do { return try decode(object) } catch {
            onDecodeError(key, error)
            return nil
        }
    }

    private static func insert(_ s: inout State, key: String, value: Value, keys: [String]) {
        s.items[key] = value
        s.indexOf[key] = keys
        for k in keys { s.index[k, default: []].insert(key) }
    }

    private static func remove(_ s: inout State, key: String) {
        guard s.items.removeValue(forKey: key) != nil else { return }
        for k in s.indexOf.removeValue(forKey: key) ?? [] {
            s.index[k]?.remove(key)
            if s.index[k]?.isEmpty == true { s.index[k] = nil }
        }
    }
}
