/// A Kubernetes resource quantity (`k8s.io/apimachinery/pkg/api/resource.Quantity`), exact.
///
/// The value is `±coefficient × 10^exponent`, kept normalised (no leading or trailing zero
/// digits), so two quantities are numerically equal exactly when their stored parts are
/// equal; `format` only affects how the value is written and is ignored by `==` and hashing.
/// Parsing rounds finer-than-nano values away from zero to the nearest nano, as Kubernetes does.
public struct Quantity: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Format: Sendable, Hashable {
        case decimalSI, binarySI, decimalExponent
    }

    public var format: Format
    let negative: Bool
    let coefficient: DecimalMagnitude.Digits
    let exponent: Int

    /// Builds a normalised value; `coefficient` may carry leading or trailing zeros.
    init(negative: Bool, coefficient: DecimalMagnitude.Digits, exponent: Int, format: Format) {
        var digits = DecimalMagnitude.stripLeadingZeros(coefficient)
        let removed = DecimalMagnitude.stripTrailingZeros(&digits)
        self.format = format
        self.coefficient = digits
        self.negative = digits.isEmpty ? false : negative
        self.exponent = digits.isEmpty ? 0 : exponent + removed
    }

    /// Stores parts that are already normalised (no leading or trailing zero digit; empty
    /// with exponent 0 and not negative for zero).
    init(normalisedNegative negative: Bool, coefficient: DecimalMagnitude.Digits, exponent: Int, format: Format) {
        self.format = format
        self.coefficient = coefficient
        self.negative = negative
        self.exponent = exponent
    }

    /// Like `resource.NewMilliQuantity`: `milli / 1000` in the given format.
    public init(milli: Int64, format: Format) {
        self.init(negative: milli < 0, magnitude: milli.magnitude, exponent: -3, format: format)
    }

    /// Like `resource.NewQuantity`: a whole number of units in the given format.
    public init(value: Int64, format: Format) {
        self.init(negative: value < 0, magnitude: value.magnitude, exponent: 0, format: format)
    }

    /// `±magnitude × 10^exponent`, normalised in integer arithmetic: one allocation (the
    /// digits) instead of building, reversing and stripping digit arrays.
    init(negative: Bool, magnitude: UInt64, exponent: Int, format: Format) {
        if magnitude == 0 {
            self.init(normalisedNegative: false, coefficient: [], exponent: 0, format: format)
            return
        }
        var rest = magnitude
        var exponent = exponent
        while rest % 10 == 0 {
            rest /= 10
            exponent += 1
        }
        self.init(normalisedNegative: negative, coefficient: DecimalMagnitude.digits(ofNonZero: UInt128(rest)),
                  exponent: exponent, format: format)
    }

    public var isZero: Bool { coefficient.isEmpty }

    /// -1, 0 or 1.
    public var sign: Int { isZero ? 0 : (negative ? -1 : 1) }

    /// No fraction finer than a milli-unit.
    public var isWholeMilli: Bool { isZero || exponent >= -3 }

    /// A whole number of units (bytes, cores).
    public var isWholeUnit: Bool { isZero || exponent >= 0 }

    /// Like `MilliValue()`: ceil(q × 1000) away from zero, saturating at the Int64 bounds.
    public var milliValue: Int64 { scaledValue(shift: 3) }

    /// Like `Value()`: rounded up (away from zero) to whole units, saturating at the Int64 bounds.
    public var value: Int64 { scaledValue(shift: 0) }

    /// |q| × 10^shift rounded away from zero to an integer, with the sign, saturating.
    func scaledValue(shift: Int) -> Int64 {
        if isZero { return 0 }
        let power = exponent + shift
        let saturated: Int64 = negative ? .min : .max
        if coefficient.count + power > 19 { return saturated }
        var magnitude: UInt64
        if power >= 0 {
            magnitude = DecimalMagnitude.uint64(coefficient)
            for _ in 0..<power {
                let (next, overflow) = magnitude.multipliedReportingOverflow(by: 10)
                if overflow { return saturated }
                magnitude = next
            }
        } else {
            // Normalised: the last digit is non-zero, so dropping any digit means rounding up.
            let kept = coefficient.count + power
            magnitude = kept > 0 ? DecimalMagnitude.uint64(coefficient[0..<kept]) : 0
            magnitude += 1
        }
        if negative {
            if magnitude > UInt64(Int64.max) + 1 { return .min }
            return Int64(bitPattern: 0 &- magnitude)
        }
        return magnitude > UInt64(Int64.max) ? .max : Int64(magnitude)
    }

    /// Kubernetes `Cmp`: -1, 0 or 1.
    public func compare(to other: Quantity) -> Int {
        if sign != other.sign { return sign < other.sign ? -1 : 1 }
        let magnitudeOrder = DecimalMagnitude.compare(coefficient, exponent, other.coefficient, other.exponent)
        return negative ? -magnitudeOrder : magnitudeOrder
    }

    public static func < (lhs: Quantity, rhs: Quantity) -> Bool { lhs.compare(to: rhs) < 0 }

    public static func == (lhs: Quantity, rhs: Quantity) -> Bool {
        lhs.negative == rhs.negative && lhs.exponent == rhs.exponent && lhs.coefficient == rhs.coefficient
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(negative)
        hasher.combine(exponent)
        hasher.combine(coefficient)
    }

    /// The same value with the sign flipped.
    public var negated: Quantity {
        Quantity(negative: !negative, coefficient: coefficient, exponent: exponent, format: format)
    }
}

extension Quantity {
    /// Kubernetes' parse cap for binarySI quantities: 2^63 - 1.
    static let maxAllowedDigits = DecimalMagnitude.digits(of: UInt64(Int64.max))
}
