import Quantity

/// One LimitRange item (`spec.limits[i]`) reduced to what the pod rule reads.
public struct LimitRangeBounds: Sendable, Equatable {
    public var min: [String: Quantity] = [:]
    public var max: [String: Quantity] = [:]
    public var defaultLimit: [String: Quantity] = [:]
    public var maxLimitRequestRatio: [String: Quantity] = [:] {
        didSet { maxLimitRequestRatioNanos = Self.nanos(of: maxLimitRequestRatio) }
    }
    /// `maxLimitRequestRatio` in nano-units (`ratioNanos(_:)`), ratios without a usable value
    /// left out: worked out once with the bounds, not per container.
    public private(set) var maxLimitRequestRatioNanos: [String: Int128] = [:]

    public init(min: [String: Quantity] = [:], max: [String: Quantity] = [:], defaultLimit: [String: Quantity] = [:],
                maxLimitRequestRatio: [String: Quantity] = [:]) {
        self.min = min; self.max = max; self.defaultLimit = defaultLimit; self.maxLimitRequestRatio = maxLimitRequestRatio
        self.maxLimitRequestRatioNanos = Self.nanos(of: maxLimitRequestRatio)
    }

    public init(_ item: LimitRangeItem) {
        self.init(min: item.min.quantities, max: item.max.quantities, defaultLimit: item.default.quantities,
                  maxLimitRequestRatio: item.maxLimitRequestRatio.quantities)
    }

    /// A ratio in nano-units (rounded up), nil when it is not a positive value below 2^63 nanos.
    public static func ratioNanos(_ ratio: Quantity) -> Int128? {
        guard ratio.sign > 0,
              let n = ratio.scaled(by: 1_000_000_000, over: 1, rounding: .up, granularity: .unit) else { return nil }
        return Int128(n.value)
    }

    private static func nanos(of ratios: [String: Quantity]) -> [String: Int128] {
        var out: [String: Int128] = [:]
        for (resource, q) in ratios where !q.isZero {
            if let n = ratioNanos(q) { out[resource] = n }
        }
        return out
    }
}

/// The LimitRanges of a namespace merged into one `Container` and one `Pod` item.
///
/// Several LimitRanges: Max = lowest, Min = highest, maxLimitRequestRatio = lowest,
/// Default = the first by LimitRange name, per resource (spec §2.2.2, §5). The merge does not
/// depend on the order the LimitRanges were listed in.
public struct NamespaceLimits: Sendable, Equatable {
    public var container: LimitRangeBounds?
    public var pod: LimitRangeBounds?

    public enum ItemType: Sendable { case container, pod }

    public struct Item: Sendable {
        public var type: ItemType
        public var bounds: LimitRangeBounds
        public init(type: ItemType, bounds: LimitRangeBounds) { self.type = type; self.bounds = bounds }
    }

    /// Merges a namespace's LimitRanges, given in any order.
    public init(_ ranges: [LimitRange]) {
        self.init(merging: ranges.map { r in
            (r.name, r.items.compactMap { item -> Item? in
                switch item.type {
                case .container: Item(type: .container, bounds: LimitRangeBounds(item))
                case .pod: Item(type: .pod, bounds: LimitRangeBounds(item))
                default: nil
                }
            })
        })
    }

    public init(container: LimitRangeBounds? = nil, pod: LimitRangeBounds? = nil) {
        self.container = container; self.pod = pod
    }

    /// `ranges`: (LimitRange name, its items) in any order.
    public init(merging ranges: [(name: String, items: [Item])]) {
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

    private static func keep(_ into: inout [String: Quantity], _ next: [String: Quantity],
                             replaces: (Quantity, Quantity) -> Bool) {
        for (resource, q) in next {
            if let old = into[resource], !replaces(q, old) { continue }
            into[resource] = q
        }
    }
}
