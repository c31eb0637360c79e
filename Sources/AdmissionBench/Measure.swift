import CAllocationCounter

/// One benchmark figure: time and heap allocations per operation.
struct Measurement {
    var name: String
    var microsecondsPerOp: Double
    var allocationsPerOp: Double
    var bytesPerOp: Double
    /// Fastest and slowest batch, µs/op: the spread the median hides.
    var range: (Double, Double)

    var line: String {
        func f(_ x: Double, _ digits: Int) -> String {
            var s = String(Double(Int((x * pow10(digits)).rounded())) / pow10(digits))
            if let dot = s.firstIndex(of: ".") {
                let decimals = s.distance(from: dot, to: s.endIndex) - 1
                if decimals < digits { s += String(repeating: "0", count: digits - decimals) }
            }
            return s
        }
        let padded = name.count < 44 ? name + String(repeating: " ", count: 44 - name.count) : name
        return "\(padded) \(f(microsecondsPerOp, 2)) µs/op  \(f(allocationsPerOp, 1)) allocs/op  "
            + "\(Int(bytesPerOp.rounded())) B/op  (batches \(f(range.0, 2))–\(f(range.1, 2)) µs/op)"
    }

    private func pow10(_ n: Int) -> Double { (0..<n).reduce(1.0) { a, _ in a * 10 } }
}

enum Measure {
    /// Runs `body` `warmup` times, then `batches` batches of `iterations`; reports the median
    /// batch's µs/op and the allocations/op counted over all batches.
    static func run(_ name: String, iterations: Int, batches: Int = 5, warmup: Int = 100,
                    _ body: () async -> Void) async -> Measurement {
        for _ in 0..<warmup { await body() }
        let clock = ContinuousClock()
        var perOp: [Double] = []
        let allocs0 = allocation_counter_allocations()
        let bytes0 = allocation_counter_bytes()
        for _ in 0..<batches {
            let start = clock.now
            for _ in 0..<iterations { await body() }
            let elapsed = clock.now - start
            let us = Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12
            perOp.append(us / Double(iterations))
        }
        let total = Double(iterations * batches)
        let allocs = Double(allocation_counter_allocations() - allocs0) / total
        let bytes = Double(allocation_counter_bytes() - bytes0) / total
        perOp.sort()
        return Measurement(name: name, microsecondsPerOp: perOp[perOp.count / 2], allocationsPerOp: allocs,
                           bytesPerOp: bytes, range: (perOp[0], perOp[perOp.count - 1]))
    }
}
