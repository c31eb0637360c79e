import Synchronization

/// A bounded cache whose entries expire after `ttl`; concurrent misses for one key share a
/// single load. At capacity, expired entries go first, then the one closest to expiry.
public final class TTLCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        var value: Value
        var expires: ContinuousClock.Instant
    }
    private struct State {
        var entries: [Key: Entry] = [:]
        var inFlight: [Key: Task<Value, any Error>] = [:]
        var loads = 0
    }

    private enum Step { case hit(Value), wait(Task<Value, any Error>) }

    public let ttl: Duration
    public let capacity: Int
    private let state = Mutex(State())

    public init(ttl: Duration, capacity: Int) {
        self.ttl = ttl
        self.capacity = max(1, capacity)
    }

    /// Loads performed (misses), for tests and diagnostics.
    public var loads: Int { state.withLock { $0.loads } }
    public var count: Int { state.withLock { $0.entries.count } }

    public func value(for key: Key, load: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let now = ContinuousClock.now
        let step = state.withLock { s -> Step in
            if let e = s.entries[key], e.expires > now { return .hit(e.value) }
            if let t = s.inFlight[key] { return .wait(t) }
            s.loads += 1
            let t = Task { try await load() }
            s.inFlight[key] = t
            return .wait(t)
        }
        switch step {
        case .hit(let v):
            return v
        case .wait(let task):
            do {
                let v = try await task.value
                store(key, v, task: task)
                return v
            } catch {
                state.withLock { s in
                    if s.inFlight[key] == task { s.inFlight[key] = nil }
                }
                throw error
            }
        }
    }

    private func store(_ key: Key, _ value: Value, task: Task<Value, any Error>) {
        let now = ContinuousClock.now
        state.withLock { s in
            guard s.inFlight[key] == task else { return }
            s.inFlight[key] = nil
            if s.entries[key] == nil && s.entries.count >= capacity {
                s.entries = s.entries.filter { $0.value.expires > now }
                if s.entries.count >= capacity,
                   let victim = s.entries.min(by: { $0.value.expires < $1.value.expires })?.key {
                    s.entries[victim] = nil
                }
            }
            s.entries[key] = Entry(value: value, expires: now.advanced(by: ttl))
        }
    }

    public func removeAll() { state.withLock { $0.entries.removeAll() } }
}
