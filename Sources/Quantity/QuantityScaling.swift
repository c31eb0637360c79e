extension Quantity {
    /// How `scaled(by:over:rounding:)` resolves a result that falls between two granules.
    public enum Rounding: Sendable, Hashable {
        /// Toward zero (truncate).
        case down
        /// Away from zero, like Kubernetes' own rounding.
        case up
        /// To the nearest granule, halves away from zero.
        case toNearestOrAwayFromZero
    }

    /// The step a scaled result is rounded to.
    public enum Granularity: Sendable, Hashable {
        /// 10^-9 units: the finest precision Kubernetes keeps.
        case nano
        /// 10^-3 units (CPU milli-cores).
        case milli
        /// Whole units (bytes, cores).
        case unit

        var exponent: Int {
            switch self {
            case .nano: -9
            case .milli: -3
            case .unit: 0
            }
        }
    }

    /// The largest magnitude Kubernetes keeps for a parsed binarySI value, and the bound for
    /// `scaled`: 2^63 - 1 units.
    public static var maxAllowed: Quantity {
        Quantity(value: .max, format: .decimalSI)
    }

    /// `self × numerator / denominator`, computed exactly and then rounded to `granularity`
    /// (default nano, i.e. only what Kubernetes itself could not store is rounded).
    /// Returns nil when `denominator` is 0 or the result exceeds 2^63 - 1 units in magnitude.
    /// The result keeps `self.format`.
    public func scaled(by numerator: Int64, over denominator: Int64, rounding: Rounding,
                       granularity: Granularity = .nano) -> Quantity? {
        guard denominator != 0 else { return nil }
        if isZero || numerator == 0 { return Quantity(value: 0, format: format) }
        let target = granularity.exponent
        // |result| ≥ 10^(digits + exponent - 1) / 2^63: beyond this bound it cannot fit.
        guard coefficient.count + exponent <= 40 else { return nil }

        let shift = exponent - target
        // Public constructors keep exponent ≥ -9, so shift ≥ -9; refuse anything that could overflow the divisor.
        guard shift >= -18 else { return nil }
        var dividend = coefficient
        if shift > 0 { dividend += repeatElement(0, count: shift) }
        dividend = DecimalMagnitude.multiply(dividend, by: numerator.magnitude)
        var divisor = UInt128(denominator.magnitude)
        if shift < 0 {
            for _ in 0..<(-shift) { divisor *= 10 }
        }
        let (exact, remainder) = DecimalMagnitude.divide(dividend, by: divisor)
        var quotient = exact
        let roundsUp = switch rounding {
        case .down: false
        case .up: remainder != 0
        case .toNearestOrAwayFromZero: remainder >= divisor - remainder
        }
        if roundsUp { quotient = DecimalMagnitude.increment(quotient) }
        guard DecimalMagnitude.compare(quotient, target, Self.maxAllowedDigits, 0) <= 0 else { return nil }
        let negativeResult = (negative != (numerator < 0)) != (denominator < 0)
        return Quantity(negative: negativeResult, coefficient: quotient, exponent: target, format: format)
    }
}
