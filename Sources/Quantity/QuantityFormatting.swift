extension Quantity {
    /// The canonical form, as Kubernetes `Quantity.CanonicalizeBytes` writes it:
    /// - zero is "0";
    /// - binarySI with |q| ≥ 1024 and a whole value: the largest binary suffix dividing it
    ///   ("1536Mi", "1Gi"); otherwise binarySI is written as decimalSI ("512", "1536500m");
    /// - decimal: the exponent lowered to a multiple of 3, then an SI suffix (decimalSI) or
    ///   "e<exp>" (decimalExponent, nothing for exponent 0). A decimalSI exponent above 18
    ///   has no suffix and is written as "e<exp>" ("1000E" → "1e21"), as current Kubernetes does.
    /// Note: Kubernetes' `String()` on a freshly parsed value may instead echo the input text
    /// when it deems it canonical ("+1", "1E3", "1.G"); this property never does.
    public var description: String {
        if isZero { return "0" }
        if let short = shortDescription() { return short }
        return generalDescription
    }

    /// `description` the general way, for every value.
    var generalDescription: String {
        if isZero { return "0" }
        let sign = negative ? "-" : ""
        if format == .binarySI, let binary = binaryText() { return sign + binary }
        // From here a binarySI value is written as decimalSI.

        var digits = coefficient
        var power = exponent
        let remainder = ((power % 3) + 3) % 3
        digits += repeatElement(0, count: remainder)
        power -= remainder
        let number = sign + DecimalMagnitude.text(digits)
        if format != .decimalExponent, let suffix = Self.decimalSuffixText[power] { return number + suffix }
        return power == 0 ? number : number + "e\(power)"
    }

    static let decimalSuffixText: [Int: String] = [
        -9: "n", -6: "u", -3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E",
    ]
    static let binarySuffixText = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]

    /// The binarySI text of |q|, or nil when Kubernetes would fall back to decimalSI.
    private func binaryText() -> String? {
        // Binary values are capped at 2^63-1 on parse; the digit bound only guards the expansion.
        guard exponent >= 0, coefficient.count + exponent <= 40,
              DecimalMagnitude.compare(coefficient, exponent, [1, 0, 2, 4], 0) >= 0 else { return nil }
        var digits = coefficient + repeatElement(0, count: exponent)
        var power = 0
        while power < 6 {
            let (quotient, remainder) = DecimalMagnitude.divide(digits, by: 1024)
            if remainder != 0 { break }
            digits = quotient
            power += 1
        }
        return DecimalMagnitude.text(digits) + Self.binarySuffixText[power]
    }
}
