@testable import BuiltinRules
import Quantity
import Testing

private func q(_ s: String) -> Quantity {
    (try? Quantity(parsing: s)) ?? Quantity(value: -999_999, format: .decimalSI)
}

@Suite struct ResourceMathTests {
    struct UnitsCase: Sendable, CustomStringConvertible {
        var text: String, resource: String, units: Int64
        var description: String { "\(text) \(resource)" }
    }

    @Test(arguments: [
        UnitsCase(text: "0.5", resource: "cpu", units: 500),
        UnitsCase(text: "1.5m", resource: "cpu", units: 2),          // rounded up, like MilliValue()
        UnitsCase(text: "2", resource: "cpu", units: 2000),
        UnitsCase(text: "1Ki", resource: "memory", units: 1024),
        UnitsCase(text: "0.5", resource: "memory", units: 1),        // rounded up, like Value()
        UnitsCase(text: "262144k", resource: "memory", units: 262_144_000),
        UnitsCase(text: "1e3", resource: "memory", units: 1000),
        UnitsCase(text: "100E", resource: "memory", units: .max),    // saturates
        UnitsCase(text: "3", resource: "example.com/gpu", units: 3),
    ])
    func units(_ c: UnitsCase) {
        #expect(ResourceMath.units(q(c.text), c.resource) == c.units)
    }

    struct ScaleCase: Sendable, CustomStringConvertible {
        var x: String, num: Int128, den: Int128, resource: String, up: Bool
        var result: String, overflowed: Bool
        var description: String { "\(x)×\(num)/\(den) \(resource) up:\(up)" }
    }

    @Test(arguments: [
        ScaleCase(x: "100m", num: 3, den: 2, resource: "cpu", up: false, result: "150m", overflowed: false),
        ScaleCase(x: "100m", num: 1, den: 3, resource: "cpu", up: false, result: "33m", overflowed: false),
        ScaleCase(x: "100m", num: 1, den: 3, resource: "cpu", up: true, result: "34m", overflowed: false),
        ScaleCase(x: "100Mi", num: 262_144_000, den: 52_428_800, resource: "memory", up: false, result: "500Mi", overflowed: false),
        ScaleCase(x: "100Mi", num: 1, den: 3, resource: "memory", up: false, result: "34952533", overflowed: false),
        ScaleCase(x: "1Gi", num: 7, den: 0, resource: "memory", up: false, result: "1Gi", overflowed: false),
        ScaleCase(x: "8E", num: 2, den: 1, resource: "memory", up: false, result: "9223372036854775807", overflowed: true),
        ScaleCase(x: "9223372036854775807m", num: 2, den: 1, resource: "cpu", up: false, result: "9223372036854775807m", overflowed: true),
    ])
    func scale(_ c: ScaleCase) {
        let (r, overflowed) = ResourceMath.scale(q(c.x), by: c.num, over: c.den, c.resource, roundingUp: c.up)
        #expect(r.description == c.result)
        #expect(overflowed == c.overflowed)
    }

    @Test func divideRoundsTowardTheRequestedInfinity() {
        #expect(ResourceMath.divide(7, 2, roundingUp: false) == 3)
        #expect(ResourceMath.divide(7, 2, roundingUp: true) == 4)
        #expect(ResourceMath.divide(-7, 2, roundingUp: false) == -4)
        #expect(ResourceMath.divide(-7, 2, roundingUp: true) == -3)
        #expect(ResourceMath.divide(6, 3, roundingUp: true) == 2)
    }

    @Test func ratios() {
        #expect(ResourceMath.nanos(ofRatio: q("1.5")) == 1_500_000_000)
        #expect(ResourceMath.nanos(ofRatio: q("4")) == 4_000_000_000)
        #expect(ResourceMath.nanos(ofRatio: q("0")) == nil)
        #expect(ResourceMath.nanos(ofRatio: q("-2")) == nil)
        // floor(333m × 1.5) = 499m; ceil(1Gi ÷ 3) = 357913942 bytes
        #expect(ResourceMath.multiplyFloor(q("333m"), byRatioNanos: 1_500_000_000, "cpu").description == "499m")
        #expect(ResourceMath.divideCeil(q("1Gi"), byRatioNanos: 3_000_000_000, "memory").description == "357913942")
        #expect(ResourceMath.divideCeil(q("1Gi"), byRatioNanos: 2_000_000_000, "memory").description == "512Mi")
    }

    @Test func resourceOrder() {
        #expect(ResourceMath.ordered(["memory", "zz", "cpu", "aa"]) == ["cpu", "memory", "aa", "zz"])
    }

    struct LimitCase: Sendable, CustomStringConvertible {
        var resource: String, limit: String?, request: String?, newRequest: String
        var expected: String?, note: Bool
        var description: String { "\(resource) limit \(limit ?? "-") request \(request ?? "-") → \(newRequest)" }
    }

    @Test(arguments: [
        LimitCase(resource: "cpu", limit: nil, request: "100m", newRequest: "200m", expected: nil, note: false),
        LimitCase(resource: "cpu", limit: "0", request: "100m", newRequest: "200m", expected: nil, note: false),
        LimitCase(resource: "cpu", limit: "300m", request: "100m", newRequest: "0", expected: nil, note: false),
        LimitCase(resource: "cpu", limit: "300m", request: nil, newRequest: "200m", expected: "200m", note: false),
        LimitCase(resource: "cpu", limit: "300m", request: "0", newRequest: "200m", expected: "200m", note: false),
        LimitCase(resource: "cpu", limit: "0.3", request: "300m", newRequest: "200m", expected: "200m", note: false),
        LimitCase(resource: "cpu", limit: "300m", request: "100m", newRequest: "201m", expected: "603m", note: false),
        LimitCase(resource: "cpu", limit: "1", request: "3", newRequest: "1", expected: "333m", note: false),
        LimitCase(resource: "memory", limit: "8E", request: "1", newRequest: "2", expected: "9223372036854775807", note: true),
    ])
    func proportionalLimit(_ c: LimitCase) {
        let r = ProportionalLimits.limit(c.resource, originalLimit: c.limit.map(q), originalRequest: c.request.map(q),
                                         newRequest: q(c.newRequest))
        #expect(r.limit?.description == c.expected)
        #expect((r.note != nil) == c.note)
    }
}
