import MPA
import Quantity

/// New resources for one container.
struct ContainerPlan: Sendable, Equatable {
    var container: PodContainer
    var requests: [(resource: String, value: Quantity)]
    var limits: [(resource: String, value: Quantity)]
    /// Capping notes, in the order they were made.
    var notes: [String]

    static func == (a: ContainerPlan, b: ContainerPlan) -> Bool {
        a.container == b.container && a.notes == b.notes
            && a.requests.map(\.resource) == b.requests.map(\.resource) && a.requests.map(\.value) == b.requests.map(\.value)
            && a.limits.map(\.resource) == b.limits.map(\.resource) && a.limits.map(\.value) == b.limits.map(\.value)
    }
}

/// The recommended-resources pipeline of spec §2.2, pure: recommendation → pod LimitRange →
/// container LimitRange → policy → RequestsOnly → new request → proportional limit.
struct PodResourcePlanner: Sendable {
    static let defaultControlled = [ResourceMath.cpu, ResourceMath.memory]

    /// The MPA's `containerPolicies`, in order.
    var policies: [ContainerResourcePolicy]
    /// Container name → recommended `target` (the first recommendation for a name counts).
    var recommendations: [String: QuantityMap]
    var limits: NamespaceLimits

    init(policies: [ContainerResourcePolicy], recommendations: [String: QuantityMap], limits: NamespaceLimits) {
        self.policies = policies; self.recommendations = recommendations; self.limits = limits
    }

    /// From the chosen MPA's policy and recommendation and the namespace's LimitRanges.
    init(mpa: MultidimPodAutoscaler, limits: NamespaceLimits) {
        self.init(policies: mpa.resourcePolicy?.containerPolicies ?? [], recommendations: mpa.recommendedTargets,
                  limits: limits)
    }

    /// The policy for the container's name, else the first `*`.
    func policy(for name: String) -> ContainerResourcePolicy? {
        var star: ContainerResourcePolicy?
        for p in policies {
            if p.containerName == name { return p }
            if p.containerName == ContainerResourcePolicy.defaultContainerName, star == nil { star = p }
        }
        return star
    }

    /// The recommendation after the policy filter: nil for a container without one, in
    /// mode Off, or with none of its controlled resources recommended.
    func effectiveRecommendation(for container: PodContainer) -> QuantityMap? {
        guard let target = recommendations[container.name] else { return nil }
        let policy = policy(for: container.name)
        if policy?.mode == .off { return nil }
        let controlled = policy?.controlledResources ?? Self.defaultControlled
        // Usually every recommended resource is controlled: the target itself is the answer.
        if target.keys.allSatisfy(controlled.contains) { return target.isEmpty ? nil : target }
        var list: QuantityMap = [:]
        list.reserveCapacity(controlled.count)
        for resource in controlled {
            if let q = target[resource] { list[resource] = q }
        }
        return list.isEmpty ? nil : list
    }

    /// The container's limit, or the container LimitRange default when absent or 0.
    func originalLimit(_ container: PodContainer, _ resource: String) -> Quantity? {
        container.limits.nonZero(resource) ?? limits.container?.defaultLimit.nonZero(resource)
    }

    /// Plans for every container (then sidecar) with an effective recommendation, in pod order.
    func plan(containers: [PodContainer], sidecars: [PodContainer]) -> [ContainerPlan] {
        var recs = containers.map(effectiveRecommendation)
        // Only a pod LimitRange writes notes at this stage: no per-container list without one.
        var notes: [[String]] = []
        if let pod = limits.pod {
            notes = Array(repeating: [], count: containers.count)
            applyPodLimitRange(pod, containers: containers, recs: &recs, notes: &notes)
        }
        var plans: [ContainerPlan] = []
        plans.reserveCapacity(containers.count + sidecars.count)
        for (i, c) in containers.enumerated() {
            if let rec = recs[i] { plans.append(plan(c, rec, notes: notes.isEmpty ? [] : notes[i])) }
        }
        for c in sidecars {
            if let rec = effectiveRecommendation(for: c) { plans.append(plan(c, rec, notes: [])) }
        }
        return plans
    }

    // MARK: - pod LimitRange (§2.2.1)

    /// Caps the sum over `spec.containers`: Min above the sum of recommendations scales them
    /// up (rounding up); a sum of proportional limits outside [Min, Max] scales them to the
    /// bound (rounding down). A container without a recommendation counts with its current
    /// request and limit.
    func applyPodLimitRange(_ pod: LimitRangeBounds, containers: [PodContainer],
                            recs: inout [QuantityMap?], notes: inout [[String]]) {
        for resource in Self.defaultControlled {
            let minimum = pod.min.nonZero(resource).map { Int128(ResourceMath.units($0, resource)) }
            let maximum = pod.max.nonZero(resource).map { Int128(ResourceMath.units($0, resource)) }
            if minimum == nil && maximum == nil { continue }
            var sumRecommendation: Int128 = 0
            var sumLimit: Int128 = 0
            for (i, c) in containers.enumerated() {
                guard let rec = recs[i]?[resource] ?? c.requests[resource] else { continue }
                sumRecommendation += Int128(ResourceMath.units(rec, resource))
                let limit = ProportionalLimits.limit(resource, originalLimit: originalLimit(c, resource),
                                                     originalRequest: c.requests[resource], newRequest: rec)
                if let l = limit.limit { sumLimit += Int128(ResourceMath.units(l, resource)) }
            }
            let target: Int128
            let roundUp: Bool
            let note: String
            if let minimum, minimum > sumRecommendation, sumLimit != 0 {
                (target, roundUp, note) = (minimum, true, "\(resource) scaled up to fit Min in pod LimitRange")
                scale(resource, to: target, over: sumRecommendation, roundUp: roundUp, note: note, &recs, &notes)
                continue
            }
            if sumLimit == 0 { continue }
            if let minimum, minimum > sumLimit {
                target = minimum
            } else if let maximum, maximum < sumLimit {
                target = maximum
            } else {
                continue
            }
            scale(resource, to: target, over: sumLimit, roundUp: false, note: "\(resource) capped to fit pod LimitRange", &recs, &notes)
        }
    }

    private func scale(_ resource: String, to target: Int128, over sum: Int128, roundUp: Bool, note: String,
                       _ recs: inout [QuantityMap?], _ notes: inout [[String]]) {
        for i in recs.indices {
            guard let rec = recs[i]?[resource] else { continue }
            recs[i]?[resource] = ResourceMath.scale(rec, by: target, over: sum, resource, roundingUp: roundUp).0
            notes[i].append(note)
        }
    }

    // MARK: - one container (§2.2.2–7)

    func plan(_ c: PodContainer, _ rec: QuantityMap, notes initial: [String]) -> ContainerPlan {
        var notes = initial
        let policy = policy(for: c.name)
        let requestsOnly = policy?.controlledValues == .requestsOnly
        let item = limits.container
        var requests: [(resource: String, value: Quantity)] = []
        var newLimits: [(resource: String, value: Quantity)] = []
        requests.reserveCapacity(rec.count)
        newLimits.reserveCapacity(rec.count)
        for resource in ResourceMath.ordered(keysOf: rec) {
            guard var v = rec[resource] else { continue }
            let request = c.requests.nonZero(resource)
            let limit = originalLimit(c, resource)
            let ratio = item?.maxLimitRequestRatioNanos[resource]
            // 2. container LimitRange
            if let item {
                v = LimitRangeCapping.cap(v, resource, item: item, originalRequest: request, originalLimit: limit, notes: &notes)
            }
            // 3. policy
            if let policy {
                if let low = policy.minAllowed.quantities.nonZero(resource), v < low {
                    v = low
                    notes.append("\(resource) capped to minAllowed")
                }
                if let high = policy.maxAllowed.quantities.nonZero(resource), v > high {
                    v = high
                    notes.append("\(resource) capped to maxAllowed")
                }
            }
            // 4. RequestsOnly: the limit is not ours; keep the request under it, and within
            //    maxLimitRequestRatio of it (raise to ceil(limit ÷ ratio)).
            if requestsOnly, let current = c.limits.nonZero(resource) {
                if v > current {
                    v = current
                    notes.append("\(resource) capped to container limit")
                }
                if let ratio {
                    let low = ResourceMath.divideCeil(current, byRatioNanos: ratio, resource)
                    if v < low {
                        v = low
                        notes.append("\(resource) request raised to fit maxLimitRequestRatio in container LimitRange")
                    }
                }
            }
            // 5. new request
            requests.append((resource, v))
            // 6. proportional limit, never above floor(request × maxLimitRequestRatio)
            guard !requestsOnly else { continue }
            let result = ProportionalLimits.limit(resource, originalLimit: limit, originalRequest: request, newRequest: v)
            if let note = result.note { notes.append(note) }
            guard var newLimit = result.limit else { continue }
            if let ratio {
                let high = ResourceMath.multiplyFloor(v, byRatioNanos: ratio, resource)
                if newLimit > high {
                    newLimit = high
                    notes.append("\(resource) limit capped to fit maxLimitRequestRatio in container LimitRange")
                }
            }
            newLimits.append((resource, newLimit))
        }
        return ContainerPlan(container: c, requests: requests, limits: newLimits, notes: notes)
    }
}
