import JSON
import MPA

/// Walks a pod's controlling owners up to the top-most well-known controller (Deployment,
/// ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, ReplicationController, in their API
/// groups) or object with a `scale` subresource (spec §2.1.2).
enum OwnerChain {
    enum Outcome: Sendable, Equatable {
        /// The top-most well-known or scalable controller.
        case top(ObjectKey)
        /// Nothing in the chain is a controller an MPA can target.
        case none
        /// A well-known controller in the chain does not exist: no MPA (allowed, no patch).
        case missing(ObjectKey)
    }

    struct ChainError: Error, Sendable, Equatable, CustomStringConvertible {
        var description: String
    }

    /// Upper bound on the chain length, so a pathological state cannot keep us walking.
    static let maxDepth = 64

    /// `first`: the pod's controlling owner reference, resolved in `namespace`.
    static func topController(from first: OwnerReference, namespace: String,
                              state: any ClusterState) async throws -> Outcome {
        var key = first.key(namespace: namespace)
        var top: ObjectKey?
        var visited = VisitedKeys()
        while true {
            guard visited.insert(key) else { throw ChainError(description: "cycle in the owner chain at \(key)") }
            guard visited.count <= maxDepth else {
                throw ChainError(description: "owner chain longer than \(maxDepth) at \(key)")
            }
            let wellKnown = WellKnownController(kind: key.kind, group: key.group) != nil
            if wellKnown {
                top = key
            } else if try await state.scaleSelector(key) != nil {
                top = key
            }
            guard let object = try await state.object(key) else {
                // A well-known owner that is gone: the pod's controller cannot be known.
                // An object of another kind we cannot read ends the walk.
                return wellKnown ? .missing(key) : top.map(Outcome.top) ?? .none
            }
            guard let next = controllerReference(of: object) else { return top.map(Outcome.top) ?? .none }
            key = next.key(namespace: namespace)
        }
    }

    /// The `controller: true` owner reference in `metadata.ownerReferences`.
    static func controllerReference(of object: JSONValue) -> OwnerReference? {
        guard let refs = object["metadata"]?["ownerReferences"]?.arrayValue else { return nil }
        for r in refs where r["controller"]?.boolValue == true {
            guard let kind = r["kind"]?.stringValue, let name = r["name"]?.stringValue else { continue }
            return OwnerReference(apiVersion: r["apiVersion"]?.stringValue ?? "", kind: kind, name: name,
                                  uid: r["uid"]?.stringValue ?? "", controller: true)
        }
        return nil
    }
}

/// The keys an owner-chain walk has seen. Chains are short (pod → ReplicaSet → Deployment),
/// so the first keys sit in fixed slots and are compared linearly: no hashing and no
/// allocation until a chain is longer than four.
struct VisitedKeys {
    private var slots: (ObjectKey?, ObjectKey?, ObjectKey?, ObjectKey?) = (nil, nil, nil, nil)
    private var more: [ObjectKey] = []
    private(set) var count = 0

    /// Adds `key`; false when it was already there.
    mutating func insert(_ key: ObjectKey) -> Bool {
        if slots.0 == key || slots.1 == key || slots.2 == key || slots.3 == key || more.contains(key) { return false }
        switch count {
        case 0: slots.0 = key
        case 1: slots.1 = key
        case 2: slots.2 = key
        case 3: slots.3 = key
        default: more.append(key)
        }
        count += 1
        return true
    }
}
