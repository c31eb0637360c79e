import MPA
import Quantity

/// One LimitRange item (`spec.limits[i]`) reduced to what the pod rule reads.
struct LimitRangeBounds: Sendable, Equatable {
    var min: QuantityMap = [:]
    var max: QuantityMap = [:]
    var defaultLimit: QuantityMap = [:]
    var maxLimitRequestRatio: QuantityMap = [:]

    init(min: QuantityMap = [:], max: QuantityMap = [:], defaultLimit: QuantityMap = [:], maxLimitRequestRatio: QuantityMap = [:]) {
        self.min = min; self.max = max; self.defaultLimit = defaultLimit; self.maxLimitRequestRatio = maxLimitRequestRatio
    }

    init(_ item: LimitRangeItem) {
        self.init(min: item.min.quantities, max: item.max.quantities, defaultLimit: item.default.quantities,
                  maxLimitRequestRatio: item.maxLimitRequestRatio.quantities)
    }
}

/// The LimitRanges of a namespace merged into one `Container` and one `Pod` item.
///
/// Several LimitRanges: Max = lowest, Min = highest, maxLimitRequestRatio = lowest,
/// Default = the first by LimitRange name, per resource (spec §2.2.2, §5). The merge does not
/// depend on the order the LimitRanges were listed in.
struct NamespaceLimits: Sendable, Equatable {
    var container: LimitRangeBounds?
    var pod: LimitRangeBounds?

    enum ItemType: Sendable { case container, pod }

    struct Item: Sendable {
        var type: ItemType
        var bounds: LimitRangeBounds
    }

    /// Merges a namespace's LimitRanges, given in any order.
    init(_ ranges: [LimitRange]) {
        self.init(ranges.map { r in
            (r.name, r.items.compactMap { item -> Item? in
                switch item.type {
                case .container: Item(type: .container, bounds: LimitRangeBounds(item))
                case .pod: Item(type: .pod, bounds: LimitRangeBounds(item))
                default: nil
                }
            })
        })
    }

    init(container: LimitRangeBounds? = nil, pod: LimitRangeBounds? = nil) {
        self.container = container; self.pod = pod
    }

    /// `ranges`: (LimitRange name, its items) in any order.
    init(_ ranges: [(name: String, items: [Item])]) {
        for range in ranges.sorted(by: { $0.name < $1.name }) {
            for item in range.items {
                switch item.type {
                case .container: container = Self.merge(container ?? LimitRangeBounds(), item.bounds)
                case .pod: pod = Self.merge(pod ?? LimitRangeBounds(), item.bounds)
                }
            }
        }
    }

    private static func merge(_ into: LimitRangeBounds, _ next: LimitRangeBounds) -> LimitRangeBounds {
        var b = into
        keep(&b.max, next.max) { new, old in new < old }
        keep(&b.min, next.min) { new, old in new > old }
        keep(&b.defaultLimit, next.defaultLimit) { _, _ in false }
        keep(&b.maxLimitRequestRatio, next.maxLimitRequestRatio) { new, old in new < old }
        return b
    }

    private static func keep(_ into: inout QuantityMap, _ next: QuantityMap, replaces: (Quantity, Quantity) -> Bool) {
        for (resource, q) in next {
            if let old = into[resource], !replaces(q, old) { continue }
            into[resource] = q
        }
    }
}

/// Container LimitRange capping (spec §2.2.2): Min/Max turned into request bounds that keep
/// the container's limit:request ratio.
enum LimitRangeCapping {
    /// The request that keeps `originalRequest:originalLimit` when the limit is `boundary`.
    /// No original limit (nor default): 0, meaning "no bound". No request, or request equal
    /// to the limit: the boundary itself. Otherwise boundary × request ÷ limit, rounded down.
    static func boundaryRequest(_ resource: String, boundary: Quantity, originalRequest: Quantity?,
                                originalLimit: Quantity?) -> Quantity {
        guard let limit = originalLimit else { return .zero }
        guard let request = originalRequest, request.milliValue != limit.milliValue else { return boundary }
        return ResourceMath.scale(boundary, by: Int128(ResourceMath.units(request, resource)),
                                  over: Int128(ResourceMath.units(limit, resource)), resource, roundingUp: false).0
    }

    /// Applies the container item's Min and Max to `value`, appending notes.
    static func cap(_ value: Quantity, _ resource: String, item: LimitRangeBounds, originalRequest: Quantity?,
                    originalLimit: Quantity?, notes: inout [String]) -> Quantity {
        var v = value
        if let minimum = item.min.nonZero(resource) {
            var low = boundaryRequest(resource, boundary: minimum, originalRequest: originalRequest, originalLimit: originalLimit)
            // The request itself must also be at least the LimitRange Min.
            if minimum > low { low = minimum }
            if v < low {
                v = low
                notes.append("\(resource) capped to fit Min in container LimitRange")
            }
        }
        if let maximum = item.max.nonZero(resource) {
            let high = boundaryRequest(resource, boundary: maximum, originalRequest: originalRequest, originalLimit: originalLimit)
            if !high.isZero, v > high {
                v = high
                notes.append("\(resource) capped to fit Max in container LimitRange")
            }
        }
        return v
    }
}
