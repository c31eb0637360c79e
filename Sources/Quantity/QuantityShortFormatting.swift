extension Quantity {
    /// `description` for the usual values (at most 19 significant digits, an exponent with an
    /// SI suffix or none), written straight into the string's storage; nil for the rest, which
    /// `description` writes the general way. Gives exactly what the general way gives
    /// (`QuantityCommonParsingTests` checks).
    func shortDescription() -> String? {
        guard !isZero, coefficient.count <= 19 else { return nil }
        if format == .binarySI, exponent >= 0 {
            // The general binaryText: |q| ≥ 1024 and whole; at most 19 digits fit in UInt64 here.
            guard coefficient.count + exponent <= 19 else { return nil }
            var magnitude = DecimalMagnitude.uint64(coefficient)
            for _ in 0..<exponent { magnitude *= 10 }
            if magnitude >= 1024 {
                var power = 0
                while power < 6, magnitude % 1024 == 0 {
                    magnitude /= 1024
                    power += 1
                }
                let suffix: (UInt8, UInt8) = switch power {
                case 0: (0, 0)
                case 1: (UInt8(ascii: "K"), UInt8(ascii: "i"))
                case 2: (UInt8(ascii: "M"), UInt8(ascii: "i"))
                case 3: (UInt8(ascii: "G"), UInt8(ascii: "i"))
                case 4: (UInt8(ascii: "T"), UInt8(ascii: "i"))
                case 5: (UInt8(ascii: "P"), UInt8(ascii: "i"))
                default: (UInt8(ascii: "E"), UInt8(ascii: "i"))
                }
                return Self.write(negative: negative, magnitude: magnitude, zeros: 0,
                                  suffix: suffix.0, suffix.1, suffixLength: power == 0 ? 0 : 2)
            }
        }
        // Decimal (and binarySI written as decimalSI): the exponent lowered to a multiple of 3.
        let remainder = ((exponent % 3) + 3) % 3
        let power = exponent - remainder
        let letter: UInt8
        if format == .decimalExponent {
            guard power == 0 else { return nil }
            letter = 0
        } else {
            switch power {
            case -9: letter = UInt8(ascii: "n")
            case -6: letter = UInt8(ascii: "u")
            case -3: letter = UInt8(ascii: "m")
            case 0: letter = 0
            case 3: letter = UInt8(ascii: "k")
            case 6: letter = UInt8(ascii: "M")
            case 9: letter = UInt8(ascii: "G")
            case 12: letter = UInt8(ascii: "T")
            case 15: letter = UInt8(ascii: "P")
            case 18: letter = UInt8(ascii: "E")
            default: return nil
            }
        }
        return Self.write(negative: negative, magnitude: DecimalMagnitude.uint64(coefficient), zeros: remainder,
                          suffix: letter, 0, suffixLength: letter == 0 ? 0 : 1)
    }

    /// "-"? digits of `magnitude`, `zeros` more "0", then 0–2 suffix bytes.
    private static func write(negative: Bool, magnitude: UInt64, zeros: Int,
                              suffix first: UInt8, _ second: UInt8, suffixLength: Int) -> String {
        var digitCount = 1
        var rest = magnitude / 10
        while rest > 0 {
            rest /= 10
            digitCount += 1
        }
        let length = (negative ? 1 : 0) + digitCount + zeros + suffixLength
        return String(unsafeUninitializedCapacity: length) { buffer in
            var index = 0
            if negative {
                buffer[0] = UInt8(ascii: "-")
                index = 1
            }
            var value = magnitude
            var position = index + digitCount
            while position > index {
                position -= 1
                buffer[position] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
            index += digitCount
            for _ in 0..<zeros {
                buffer[index] = UInt8(ascii: "0")
                index += 1
            }
            if suffixLength > 0 { buffer[index] = first; index += 1 }
            if suffixLength > 1 { buffer[index] = second; index += 1 }
            return index
        }
    }
}
