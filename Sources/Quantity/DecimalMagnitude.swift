/// Arithmetic on non-negative integers held as decimal digits (most significant first).
///
/// Quantities may be arbitrarily large ("123456789012345678901234567890") or carry a huge
/// exponent ("1e999999"), so the coefficient is kept as digits and the power of ten apart.
/// Every routine is linear in the number of digits and cannot overflow.
enum DecimalMagnitude {
    typealias Digits = [UInt8]

    static func stripLeadingZeros(_ digits: Digits) -> Digits {
        guard let first = digits.firstIndex(where: { $0 != 0 }) else { return [] }
        return Array(digits[first...])
    }

    /// Removes trailing zero digits, returning how many were removed.
    static func stripTrailingZeros(_ digits: inout Digits) -> Int {
        var removed = 0
        while let last = digits.last, last == 0 {
            digits.removeLast()
            removed += 1
        }
        return removed
    }

    static func digits(of value: UInt64) -> Digits {
        if value == 0 { return [] }
        var result: Digits = []
        var rest = value
        while rest > 0 {
            result.append(UInt8(rest % 10))
            rest /= 10
        }
        return result.reversed()
    }

    static func digits(of value: UInt128) -> Digits {
        if value == 0 { return [] }
        var result: Digits = []
        var rest = value
        while rest > 0 {
            result.append(UInt8(rest % 10))
            rest /= 10
        }
        return result.reversed()
    }

    /// Adds one to the magnitude.
    static func increment(_ digits: Digits) -> Digits {
        var result = digits
        var index = result.count - 1
        while index >= 0 {
            if result[index] < 9 {
                result[index] += 1
                return result
            }
            result[index] = 0
            index -= 1
        }
        return [1] + result
    }

    static func multiply(_ digits: Digits, by factor: UInt64) -> Digits {
        if digits.isEmpty || factor == 0 { return [] }
        var result = Digits(repeating: 0, count: digits.count)
        var carry: UInt128 = 0
        var index = digits.count - 1
        while index >= 0 {
            let product = UInt128(digits[index]) * UInt128(factor) + carry
            result[index] = UInt8(product % 10)
            carry = product / 10
            index -= 1
        }
        return Self.digits(of: carry) + result
    }

    /// Long division by a divisor below 2^127 / 10; returns (quotient, remainder).
    static func divide(_ digits: Digits, by divisor: UInt128) -> (quotient: Digits, remainder: UInt128) {
        var quotient = Digits()
        quotient.reserveCapacity(digits.count)
        var remainder: UInt128 = 0
        for digit in digits {
            remainder = remainder * 10 + UInt128(digit)
            let q = remainder / divisor
            quotient.append(UInt8(q))
            remainder -= q * divisor
        }
        return (stripLeadingZeros(quotient), remainder)
    }

    /// Compares a × 10^ea with b × 10^eb; both coefficients have no leading zeros.
    static func compare(_ a: Digits, _ ea: Int, _ b: Digits, _ eb: Int) -> Int {
        if a.isEmpty || b.isEmpty { return a.isEmpty ? (b.isEmpty ? 0 : -1) : 1 }
        let magnitudeA = a.count + ea, magnitudeB = b.count + eb
        if magnitudeA != magnitudeB { return magnitudeA < magnitudeB ? -1 : 1 }
        let longest = max(a.count, b.count)
        for index in 0..<longest {
            let da = index < a.count ? a[index] : 0
            let db = index < b.count ? b[index] : 0
            if da != db { return da < db ? -1 : 1 }
        }
        return 0
    }

    /// The value of a coefficient with at most 19 digits (caller checks).
    static func uint64(_ digits: Digits) -> UInt64 { uint64(digits[...]) }

    /// The value of at most 19 leading digits (caller checks), without copying them.
    static func uint64(_ digits: ArraySlice<UInt8>) -> UInt64 {
        var value: UInt64 = 0
        for digit in digits { value = value &* 10 &+ UInt64(digit) }
        return value
    }

    static func text(_ digits: Digits) -> String {
        if digits.isEmpty { return "0" }
        return String(decoding: digits.map { $0 + 0x30 }, as: UTF8.self)
    }
}
