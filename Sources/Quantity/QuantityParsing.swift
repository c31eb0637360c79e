extension Quantity {
    /// Parses every Kubernetes quantity form ("100m", "0.5", ".5", "5.", "+1", "128Mi", "1G",
    /// "1e3", "1.5E-3" ...). Like `resource.ParseQuantity`: a value finer than nano is rounded
    /// away from zero to the next nano; a binarySI value is capped at 2^63-1 in magnitude;
    /// a non-zero binarySI value below 1 becomes decimalSI. Decimal values are never capped.
    /// Deliberately stricter than Kubernetes: at least one digit is required ("Ki", "." and
    /// "-" are rejected, where Kubernetes reads them as 0), and an e-exponent must fit in Int32.
    public init(parsing text: String) throws(QuantityError) {
        if let common = text.utf8.withContiguousStorageIfAvailable(Self.parseCommon) ?? nil {
            self = common
            return
        }
        try self.init(parsingGenerally: text)
    }

    /// The general parser behind `init(parsing:)`, for every form.
    init(parsingGenerally text: String) throws(QuantityError) {
        let bytes = Array(text.utf8)
        func fail(_ kind: QuantityError.Kind) -> QuantityError { QuantityError(kind: kind, input: text) }
        guard !bytes.isEmpty else { throw fail(.formatWrong) }

        var index = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            index = 1
        }
        let integerStart = index
        while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
        var digits = Array(bytes[integerStart..<index])
        var fractionCount = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
            fractionCount = index - fractionStart
            digits += bytes[fractionStart..<index]
        }
        guard !digits.isEmpty else { throw fail(.formatWrong) }

        let suffix = Array(bytes[index...])
        guard Self.hasSuffixShape(suffix) else { throw fail(.formatWrong) }
        guard let (power10, power1024, format) = Self.interpret(suffix) else { throw fail(.suffix) }

        let coefficient = DecimalMagnitude.stripLeadingZeros(digits.map { $0 - UInt8(ascii: "0") })
        // Exponents are Int32-bounded and digit counts bounded by memory: no overflow here.
        self.init(negative: negative, coefficient: coefficient, exponent: power10 - fractionCount,
                  power1024: power1024, format: format)
    }

    /// Applies the binary multiplier, nano rounding, binary cap and format demotion.
    private init(negative: Bool, coefficient: DecimalMagnitude.Digits, exponent: Int, power1024: Int, format: Format) {
        if coefficient.isEmpty {
            self.init(negative: false, coefficient: [], exponent: 0, format: format)
            return
        }
        var digits = coefficient
        var exponent = exponent
        var format = format
        if power1024 > 0 {
            if digits.count + exponent > 20 {
                // At least 10^20 before the multiplier: far above the cap.
                digits = Self.maxAllowedDigits
                exponent = 0
            } else {
                for _ in 0..<power1024 { digits = DecimalMagnitude.multiply(digits, by: 1024) }
            }
        }
        if exponent < -9 {
            let dropped = -9 - exponent
            if dropped >= digits.count {
                digits = [1]
            } else {
                let kept = Array(digits[0..<(digits.count - dropped)])
                let roundsUp = digits[(digits.count - dropped)...].contains { $0 != 0 }
                digits = roundsUp ? DecimalMagnitude.increment(kept) : kept
            }
            exponent = -9
        }
        if format == .binarySI {
            let normalised = DecimalMagnitude.stripLeadingZeros(digits)
            if DecimalMagnitude.compare(normalised, exponent, Self.maxAllowedDigits, 0) > 0 {
                digits = Self.maxAllowedDigits
                exponent = 0
            } else if DecimalMagnitude.compare(normalised, exponent, [1], 0) < 0 {
                format = .decimalSI
            }
        }
        self.init(negative: negative, coefficient: digits, exponent: exponent, format: format)
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// Kubernetes' suffix scan: `[eEinumkKMGTP]*[-+]?[0-9]*` to the end.
    static func hasSuffixShape(_ suffix: [UInt8]) -> Bool {
        var index = 0
        while index < suffix.count, "eEinumkKMGTP".utf8.contains(suffix[index]) { index += 1 }
        if index < suffix.count, suffix[index] == UInt8(ascii: "-") || suffix[index] == UInt8(ascii: "+") {
            index += 1
        }
        while index < suffix.count, isDigit(suffix[index]) { index += 1 }
        return index == suffix.count
    }

    static let decimalSuffixes: [String: Int] = [
        "n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18,
    ]
    static let binarySuffixes: [String: Int] = ["Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6]

    /// (power of ten, power of 1024, format) for a suffix, or nil when it is not one.
    static func interpret(_ suffix: [UInt8]) -> (Int, Int, Format)? {
        let text = String(decoding: suffix, as: UTF8.self)
        if let power = decimalSuffixes[text] { return (power, 0, .decimalSI) }
        if let power = binarySuffixes[text] { return (0, power, .binarySI) }
        guard suffix.count > 1, suffix[0] == UInt8(ascii: "e") || suffix[0] == UInt8(ascii: "E") else { return nil }
        var index = 1
        var negative = false
        if suffix[index] == UInt8(ascii: "-") || suffix[index] == UInt8(ascii: "+") {
            negative = suffix[index] == UInt8(ascii: "-")
            index += 1
        }
        guard index < suffix.count else { return nil }
        var magnitude = 0
        while index < suffix.count {
            guard isDigit(suffix[index]) else { return nil }
            magnitude = magnitude * 10 + Int(suffix[index] - UInt8(ascii: "0"))
            // Kubernetes keeps the scale in an int32.
            if magnitude > Int(Int32.max) + 1 { return nil }
            index += 1
        }
        let power = negative ? -magnitude : magnitude
        guard power >= Int(Int32.min), power <= Int(Int32.max) else { return nil }
        return (power, 0, .decimalExponent)
    }
}

extension Quantity {
    /// Like `Quantity.UnmarshalJSON` on a string's content: surrounding Unicode white space is
    /// ignored (Go `strings.TrimSpace`), then the text is parsed as `init(parsing:)`.
    public init(unmarshalling text: String) throws(QuantityError) {
        // A common form starts with a sign, digit or "." and ends with a digit, "." or a
        // suffix letter: nothing to trim.
        if let common = text.utf8.withContiguousStorageIfAvailable(Self.parseCommon) ?? nil {
            self = common
            return
        }
        let scalars = text.unicodeScalars
        let start = scalars.firstIndex { !$0.properties.isWhitespace } ?? scalars.endIndex
        let end = scalars.lastIndex { !$0.properties.isWhitespace }.map { scalars.index(after: $0) } ?? start
        do {
            try self.init(parsing: String(scalars[start..<max(start, end)]))
        } catch {
            throw QuantityError(kind: error.kind, input: text)
        }
    }

    /// Zero, written "0".
    public static let zero = Quantity(value: 0, format: .decimalSI)
}
