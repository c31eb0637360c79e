/// A JSON number kept as the exact text it was written with (validated RFC 8259 grammar).
///
/// Equality is numeric and exact, never through `Double`: `1`, `1.0`, `10e-1` and `1E0` are
/// equal, `-0` equals `0`, and `12345678901234567890123` differs from `12345678901234567890124`.
/// Two numbers are compared by their normalized decimal form (sign, significant digits without
/// leading or trailing zeros, exponent); hashing uses the same form, so `Hashable` agrees with `==`.
/// Use `text` when the exact spelling matters.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number's text, e.g. `-12`, `0.5`, `1e3`.
    public let text: String

    /// Creates a number from text that must already be valid RFC 8259 number grammar.
    /// Use `JSONNumber(parsing:)` for unchecked input.
    init(validatedText: String) { self.text = validatedText }

    public init(_ value: Int64) { self.text = String(value) }
    public init(_ value: Int) { self.text = String(value) }
    public init(_ value: UInt64) { self.text = String(value) }

    /// Parses `text` as a JSON number; `nil` when it is not valid number grammar.
    public init?(parsing text: String) {
        var text = text
        let ok = text.withUTF8 { buf -> Bool in
            var scanner = NumberScanner(bytes: buf)
            return scanner.scan() && scanner.position == buf.count
        }
        guard ok else { return nil }
        self.text = text
    }

    /// The value as an Int64 when the text is an integer (no fraction or exponent) in range.
    public var int64Value: Int64? { Int64(text) }

    /// Whether the text has no fraction and no exponent.
    public var isInteger: Bool {
        !text.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") })
    }

    public var description: String { text }

    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        if lhs.text == rhs.text { return true }
        // Integers have one spelling in JSON (no leading zeros), except for zero's sign.
        if lhs.isInteger && rhs.isInteger { return lhs.isZeroInteger && rhs.isZeroInteger }
        return lhs.normalized == rhs.normalized
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(normalized)
    }

    private var isZeroInteger: Bool { text == "0" || text == "-0" }

    /// The value as `digits × 10^exponent` with `digits` free of leading and trailing zeros.
    /// Zero is `(false, [], "0")`. The exponent is decimal text so `1e99999999999999999999` stays exact.
    struct Normalized: Hashable {
        var negative: Bool
        var digits: [UInt8]
        var exponent: String
    }

    var normalized: Normalized {
        var u = Array(text.utf8)[...]
        let negative = u.first == UInt8(ascii: "-")
        if negative { u = u.dropFirst() }
        var digits: [UInt8] = []
        var fractionCount = 0
        var inFraction = false
        var expNegative = false
        var expDigits: ArraySlice<UInt8> = []
        scan: while let b = u.first {
            u = u.dropFirst()
            switch b {
            case UInt8(ascii: "."): inFraction = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                if u.first == UInt8(ascii: "-") { expNegative = true }
                if u.first == UInt8(ascii: "-") || u.first == UInt8(ascii: "+") { u = u.dropFirst() }
                expDigits = u
                break scan
            default:
                if inFraction { fractionCount += 1 }
                if !(digits.isEmpty && b == UInt8(ascii: "0")) { digits.append(b) }
            }
        }
        var trailingZeros = 0
        while digits.last == UInt8(ascii: "0") { digits.removeLast(); trailingZeros += 1 }
        if digits.isEmpty { return Normalized(negative: false, digits: [], exponent: "0") }
        // Both counts are bounded by the text length, so this cannot overflow.
        let shift = trailingZeros - fractionCount
        while expDigits.first == UInt8(ascii: "0") { expDigits = expDigits.dropFirst() }
        let exponent: String
        if expDigits.count <= 18 {
            var e = 0
            for d in expDigits { e = e &* 10 &+ Int(d &- UInt8(ascii: "0")) }
            // |e| < 10^18 and |shift| is far below 2^62 (a text length), so the sum fits an Int.
            exponent = String((expNegative ? -e : e) &+ shift)
        } else {
            exponent = Self.addDecimal(negative: expNegative, magnitude: Array(expDigits), shift)
        }
        return Normalized(negative: negative, digits: digits, exponent: exponent)
    }

    /// `±magnitude + shift` as decimal text, for exponents too long for an `Int`.
    static func addDecimal(negative: Bool, magnitude: [UInt8], _ shift: Int) -> String {
        let shiftDigits = Array(String(shift.magnitude).utf8)
        let sameSign = (shift < 0) == negative || shift == 0
        var resultNegative = negative
        var digits: [UInt8]
        if sameSign {
            digits = addMagnitudes(magnitude, shiftDigits)
        } else if compareMagnitudes(magnitude, shiftDigits) >= 0 {
            digits = subtractMagnitudes(magnitude, shiftDigits)
        } else {
            digits = subtractMagnitudes(shiftDigits, magnitude)
            resultNegative = !negative
        }
        while digits.count > 1, digits.first == UInt8(ascii: "0") { digits.removeFirst() }
        if digits == [UInt8(ascii: "0")] { resultNegative = false }
        return (resultNegative ? "-" : "") + String(decoding: digits, as: UTF8.self)
    }

    /// Compares ASCII digit strings without leading zeros.
    private static func compareMagnitudes(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
        return 0
    }

    private static func addMagnitudes(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var carry: UInt8 = 0
        var i = a.count - 1, j = b.count - 1
        while i >= 0 || j >= 0 || carry > 0 {
            var s = carry
            if i >= 0 { s &+= a[i] &- UInt8(ascii: "0"); i -= 1 }
            if j >= 0 { s &+= b[j] &- UInt8(ascii: "0"); j -= 1 }
            out.append(UInt8(ascii: "0") &+ s % 10)
            carry = s / 10
        }
        return out.reversed()
    }

    /// `a - b` for `a >= b`.
    private static func subtractMagnitudes(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var borrow = 0
        var i = a.count - 1, j = b.count - 1
        while i >= 0 {
            var d = Int(a[i] &- UInt8(ascii: "0")) - borrow
            if j >= 0 { d -= Int(b[j] &- UInt8(ascii: "0")); j -= 1 }
            if d < 0 { d += 10; borrow = 1 } else { borrow = 0 }
            out.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: d))
            i -= 1
        }
        return out.reversed()
    }
}

/// Scans RFC 8259 number grammar; shared by the parser and `JSONNumber(parsing:)`.
struct NumberScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }
    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// Advances over one number; false when the grammar is violated.
    mutating func scan() -> Bool {
        if peek() == UInt8(ascii: "-") { position += 1 }
        guard let first = peek(), Self.isDigit(first) else { return false }
        position += 1
        if first != UInt8(ascii: "0") {
            while let b = peek(), Self.isDigit(b) { position += 1 }
        }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard let b = peek(), Self.isDigit(b) else { return false }
            while let b = peek(), Self.isDigit(b) { position += 1 }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            position += 1
            if let s = peek(), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { position += 1 }
            guard let b = peek(), Self.isDigit(b) else { return false }
            while let b = peek(), Self.isDigit(b) { position += 1 }
        }
        return true
    }
}
