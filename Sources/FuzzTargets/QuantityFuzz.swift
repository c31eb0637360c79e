import Quantity

/// Any bytes as text: parse; a parsed quantity's canonical text must parse to an equal
/// quantity with the same text, and the accessors and arithmetic must not trap.
enum QuantityFuzz {
    static func run(_ data: [UInt8]) -> [String] {
        let text = String(decoding: data, as: UTF8.self)
        _ = try? Quantity(unmarshalling: text)
        let q: Quantity
        do { q = try Quantity(parsing: text) } catch { return [] }
        var problems: [String] = []
        let canonical = q.description
        do {
            // The format follows the suffix, as in Kubernetes: "7812.50Ki" prints as "8000000"
            // (not a whole number of Ki), which reparses as decimalSI and prints "8M". So the
            // text must be stable from the second round on, and the value throughout.
            let again = try Quantity(parsing: canonical)
            if again != q { problems.append("\(text) -> \(canonical) reparses unequal") }
            let settled = again.description
            let third = try Quantity(parsing: settled)
            if third != q { problems.append("\(text) -> \(settled) reparses unequal") }
            if third.description != settled { problems.append("\(settled) not canonical: \(third.description)") }
        } catch {
            problems.append("canonical text \(canonical) of \(text) does not parse: \(error)")
        }
        _ = (q.milliValue, q.value, q.isWholeMilli, q.isWholeUnit, q.sign, q.hashValue)
        if q.negated.negated != q { problems.append("double negation changed \(canonical)") }
        if q.compare(to: q) != 0 { problems.append("\(canonical) not equal to itself") }
        if (q < .zero) != (q.sign < 0) { problems.append("sign disagrees with comparison for \(canonical)") }
        for (n, d) in [(Int64(3), Int64(2)), (-1, 7), (.max, 1), (1, .min), (.min, -1)] {
            for r in [Quantity.Rounding.down, .up, .toNearestOrAwayFromZero] {
                _ = q.scaled(by: n, over: d, rounding: r)
            }
        }
        return problems
    }
}
