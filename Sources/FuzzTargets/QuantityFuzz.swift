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
            let again = try Quantity(parsing: canonical)
            if again != q { problems.append("\(text) -> \(canonical) reparses unequal") }
            if again.description != canonical { problems.append("\(canonical) not canonical: \(again.description)") }
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
