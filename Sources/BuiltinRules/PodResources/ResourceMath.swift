import MPA
import Quantity

/// Exact integer arithmetic on resource quantities, in the units Kubernetes computes with:
/// milli-units for `cpu` (`MilliValue()`), whole units for everything else (`Value()`, bytes
/// for memory). Conversions round up and saturate at the Int64 bounds, like Kubernetes;
/// products and sums are taken in Int128 so they cannot overflow.
enum ResourceMath {
    static let cpu = "cpu"
    static let memory = "memory"
    static let nanosPerUnit: Int128 = 1_000_000_000

    /// The quantity in the resource's integer units (rounded up, saturating).
    static func units(_ q: Quantity, _ resource: String) -> Int64 {
        resource == cpu ? q.milliValue : q.value
    }

    /// A quantity of `units` of the resource in `format`.
    static func quantity(units: Int64, _ resource: String, format: Quantity.Format) -> Quantity {
        resource == cpu ? Quantity(milli: units, format: format) : Quantity(value: units, format: format)
    }

    /// A wide integer clamped to Int64, with whether it had to be clamped.
    static func clamp(_ value: Int128) -> (Int64, clamped: Bool) {
        if value > Int128(Int64.max) { return (.max, true) }
        if value < Int128(Int64.min) { return (.min, true) }
        return (Int64(value), false)
    }

    /// `numerator / denominator` rounded toward negative infinity (`up == false`) or
    /// toward positive infinity (`up == true`). `denominator` must not be 0.
    static func divide(_ numerator: Int128, _ denominator: Int128, roundingUp up: Bool) -> Int128 {
        let (q, r) = numerator.quotientAndRemainder(dividingBy: denominator)
        if r == 0 { return q }
        let negative = (r < 0) != (denominator < 0)
        if up { return negative ? q : q + 1 }
        return negative ? q - 1 : q
    }

    /// `x × numerator ÷ denominator` in the resource's units, rounded down (or up), keeping
    /// `x`'s format. A zero denominator leaves `x` unchanged. `overflowed`: the result was
    /// capped at 2^63−1 units.
    static func scale(_ x: Quantity, by numerator: Int128, over denominator: Int128, _ resource: String,
                      roundingUp up: Bool) -> (Quantity, overflowed: Bool) {
        guard denominator != 0 else { return (x, false) }
        let exact = divide(Int128(units(x, resource)) * numerator, denominator, roundingUp: up)
        let (value, clamped) = clamp(exact)
        return (quantity(units: value, resource, format: x.format), clamped)
    }

    /// The ratio in nano-units (rounded up), nil when it is not a positive value below 2^63 nanos.
    static func nanos(ofRatio ratio: Quantity) -> Int128? { LimitRangeBounds.ratioNanos(ratio) }

    /// floor(request × ratio) in the resource's units, in the request's format.
    static func multiplyFloor(_ request: Quantity, byRatioNanos ratio: Int128, _ resource: String) -> Quantity {
        let product = Int128(units(request, resource)) * ratio
        let (value, _) = clamp(divide(product, nanosPerUnit, roundingUp: false))
        return quantity(units: value, resource, format: request.format)
    }

    /// ceil(limit ÷ ratio) in the resource's units, in the limit's format.
    static func divideCeil(_ limit: Quantity, byRatioNanos ratio: Int128, _ resource: String) -> Quantity {
        let (value, _) = clamp(divide(Int128(units(limit, resource)) * nanosPerUnit, ratio, roundingUp: true))
        return quantity(units: value, resource, format: limit.format)
    }

    static let cpuAndMemory = [cpu, memory]

    /// The map's keys in patch order; the common cpu/memory-only map gets a shared array
    /// (no sorting, no allocation).
    static func ordered(keysOf map: [String: Quantity]) -> [String] {
        if map.count <= 2, map.keys.allSatisfy({ $0 == cpu || $0 == memory }) {
            if map.count == 2 { return cpuAndMemory }
            if map[cpu] != nil { return cpuOnly }
            if map[memory] != nil { return memoryOnly }
        }
        return ordered(map.keys)
    }
    private static let cpuOnly = [cpu]
    private static let memoryOnly = [memory]

    /// Resource names in patch order: cpu, memory, then the others by name.
    static func ordered<S: Sequence>(_ names: S) -> [String] where S.Element == String {
        names.sorted { a, b in
            let ra = rank(a), rb = rank(b)
            return ra != rb ? ra < rb : a < b
        }
    }

    private static func rank(_ name: String) -> Int {
        switch name {
        case cpu: 0
        case memory: 1
        default: 2
        }
    }
}
