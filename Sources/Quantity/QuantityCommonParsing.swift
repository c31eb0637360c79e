extension Quantity {
    /// The forms quantities nearly always take ("100m", "128Mi", "2", "0.5", "1.5Gi", "-1k"),
    /// read in machine integers without the general digit-array machinery: an optional sign,
    /// at most 18 digits with an optional fraction, and no suffix, a decimal SI suffix or a
    /// binary suffix. nil for anything else (exponents, long numbers, white space, errors):
    /// the caller then parses the general way. Where it answers, the answer is exactly the
    /// general parser's (same value, exponent and format; `QuantityCommonParsingTests` checks).
    static func parseCommon(_ bytes: UnsafeBufferPointer<UInt8>) -> Quantity? {
        let count = bytes.count
        guard count > 0 else { return nil }
        var index = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            index = 1
        }
        var value: UInt64 = 0
        var digitCount = 0
        while index < count, isDigit(bytes[index]) {
            value = value * 10 + UInt64(bytes[index] - UInt8(ascii: "0"))
            digitCount += 1
            index += 1
            if digitCount > 18 { return nil }
        }
        var fractionCount = 0
        if index < count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < count, isDigit(bytes[index]) {
                value = value * 10 + UInt64(bytes[index] - UInt8(ascii: "0"))
                digitCount += 1
                fractionCount += 1
                index += 1
                if digitCount > 18 { return nil }
            }
        }
        guard digitCount > 0 else { return nil }

        var power10 = 0
        var power1024 = 0
        var format = Format.decimalSI
        switch count - index {
        case 0:
            break
        case 1:
            switch bytes[index] {
            case UInt8(ascii: "n"): power10 = -9
            case UInt8(ascii: "u"): power10 = -6
            case UInt8(ascii: "m"): power10 = -3
            case UInt8(ascii: "k"): power10 = 3
            case UInt8(ascii: "M"): power10 = 6
            case UInt8(ascii: "G"): power10 = 9
            case UInt8(ascii: "T"): power10 = 12
            case UInt8(ascii: "P"): power10 = 15
            case UInt8(ascii: "E"): power10 = 18
            default: return nil
            }
        case 2:
            guard bytes[index + 1] == UInt8(ascii: "i") else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "K"): power1024 = 1
            case UInt8(ascii: "M"): power1024 = 2
            case UInt8(ascii: "G"): power1024 = 3
            case UInt8(ascii: "T"): power1024 = 4
            case UInt8(ascii: "P"): power1024 = 5
            case UInt8(ascii: "E"): power1024 = 6
            default: return nil
            }
            format = .binarySI
        default:
            return nil
        }

        if value == 0 { return Quantity(normalisedNegative: false, coefficient: [], exponent: 0, format: format) }
        // value < 10^18 and 1024^6 = 2^60: the product stays below 2^120.
        var magnitude = UInt128(value)
        for _ in 0..<power1024 { magnitude *= 1024 }
        // power10 ≥ -9 and at most 18 fraction digits: exponent ≥ -27.
        var exponent = power10 - fractionCount
        if exponent < -9 {
            // Nano rounding, away from zero: ceil(magnitude / 10^dropped), dropped ≤ 18.
            let (quotient, remainder) = magnitude.quotientAndRemainder(dividingBy: powerOfTen(-9 - exponent))
            magnitude = remainder == 0 ? quotient : quotient + 1
            exponent = -9
        }
        if format == .binarySI {
            // Binary: power10 is 0, so exponent is in -9...0 here.
            let unit = powerOfTen(-exponent)
            if magnitude > UInt128(Int64.max) * unit {
                magnitude = UInt128(Int64.max)
                exponent = 0
            } else if magnitude < unit {
                format = .decimalSI
            }
        }
        while magnitude % 10 == 0 {
            magnitude /= 10
            exponent += 1
        }
        return Quantity(normalisedNegative: negative, coefficient: DecimalMagnitude.digits(ofNonZero: magnitude),
                        exponent: exponent, format: format)
    }

    /// 10^n for 0 ≤ n ≤ 38.
    private static func powerOfTen(_ n: Int) -> UInt128 {
        var result: UInt128 = 1
        for _ in 0..<n { result *= 10 }
        return result
    }
}

extension DecimalMagnitude {
    /// The digits of a non-zero value, in one allocation.
    static func digits(ofNonZero value: UInt128) -> Digits {
        if value < UInt128(smallDigits.count) { return smallDigits[Int(value)] }
        return newDigits(ofNonZero: value)
    }

    /// The digits of 0…999, built once and shared (index 0 is empty, unused): most CPU
    /// quantities have a coefficient this small (`100m`, `250m`, `2`), and quantities never
    /// change their digits in place (a copy is made before any write), so sharing is safe.
    static let smallDigits: [Digits] = (0..<1000).map { $0 == 0 ? [] : newDigits(ofNonZero: UInt128($0)) }

    private static func newDigits(ofNonZero value: UInt128) -> Digits {
        var count = 0
        var rest = value
        while rest > 0 {
            rest /= 10
            count += 1
        }
        return Digits(unsafeUninitializedCapacity: count) { buffer, initialized in
            var rest = value
            var index = count
            while index > 0 {
                index -= 1
                buffer[index] = UInt8(rest % 10)
                rest /= 10
            }
            initialized = count
        }
    }
}
