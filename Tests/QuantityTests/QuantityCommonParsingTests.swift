import Testing
@testable import Quantity

/// The fast paths (`parseCommon`, `shortDescription`) against the general parser and writer,
/// over a grid of signs, integer parts, fractions and suffixes: wherever the fast path
/// answers, it must give the very same parts, format and text.
@Suite struct QuantityCommonParsingTests {
    static let signs = ["", "-", "+"]
    static let integers = ["", "0", "1", "7", "10", "100", "1000", "1023", "1024", "1536", "4096", "000123",
                           "262144", "999999999999999999", "9223372036854775", "8000000000000000000",
                           "9223372036854775807", "18446744073709551616"]
    static let fractions = ["", ".", ".5", ".25", ".000000001", ".0000000001", ".123456789012", ".999999999999",
                            ".10", ".000"]
    static let suffixes = ["", "n", "u", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei",
                           "e3", "E-2", "x", "i", "KI", "mi", " ", "K"]

    static var inputs: [String] {
        var all: [String] = []
        for sign in signs {
            for integer in integers {
                for fraction in fractions {
                    for suffix in suffixes { all.append(sign + integer + fraction + suffix) }
                }
            }
        }
        return all + [" 1", "1 ", "\t100m", "", "-", ".", "Ki", "\u{a0}5"]
    }

    @Test func commonParseMatchesGeneralParse() {
        var fast = 0
        for input in Self.inputs {
            let general = Result { () throws(QuantityError) in try Quantity(parsingGenerally: input) }
            let common = Array(input.utf8).withUnsafeBufferPointer(Quantity.parseCommon)
            if let common {
                fast += 1
                guard case .success(let expected) = general else {
                    Issue.record("\(input): fast path accepted what the general parser rejects")
                    continue
                }
                #expect(common.negative == expected.negative && common.coefficient == expected.coefficient
                        && common.exponent == expected.exponent && common.format == expected.format, "\(input)")
            }
            // The public entry points agree with the general parser on everything.
            let parsed = Result { () throws(QuantityError) in try Quantity(parsing: input) }
            switch (parsed, general) {
            case (.success(let a), .success(let b)):
                #expect(a.negative == b.negative && a.coefficient == b.coefficient && a.exponent == b.exponent
                        && a.format == b.format, "\(input)")
            case (.failure(let a), .failure(let b)):
                #expect(a == b, "\(input)")
            default:
                Issue.record("\(input): init(parsing:) and the general parser disagree")
            }
        }
        // The grid must exercise the fast path, not only the fallback.
        #expect(fast > 2000)
    }

    @Test func shortDescriptionMatchesGeneralDescription() throws {
        var values: [Quantity] = []
        for input in Self.inputs {
            if let q = try? Quantity(parsingGenerally: input) { values.append(q) }
        }
        for units: Int64 in [0, 1, -1, 999, 1000, 1023, 1024, 1025, 1536, 2048, 1 << 20, 1 << 40, 3 << 50, .max, .min, -1024] {
            for format in [Quantity.Format.decimalSI, .binarySI, .decimalExponent] {
                values.append(Quantity(value: units, format: format))
                values.append(Quantity(milli: units, format: format))
            }
        }
        var short = 0
        for q in values {
            if q.shortDescription() != nil { short += 1 }
            #expect(q.description == q.generalDescription, "\(q.generalDescription) \(q.format)")
        }
        #expect(short > 1000)
    }

    /// `init(value:)` and `init(milli:)` build their digits in integers; the parts must be
    /// those of the general normalising initialiser on the digit array.
    @Test func integerInitialisersMatchTheDigitPath() {
        var values: [Int64] = [0, 1, -1, 9, 10, -10, 100, 1000, 1024, 1_000_000, 262_144_000, 1_174,
                               .max, .min, .max - 1, .min + 1, 9_000_000_000_000_000_000, -5_000_000_000]
        var x: Int64 = 7
        for _ in 0..<60 {
            values.append(x)
            values.append(-x)
            x = x &* 31 &+ 10
        }
        for v in values {
            for (exponent, built) in [(0, Quantity(value: v, format: .binarySI)), (-3, Quantity(milli: v, format: .binarySI))] {
                let expected = Quantity(negative: v < 0, coefficient: DecimalMagnitude.digits(of: v.magnitude),
                                        exponent: exponent, format: .binarySI)
                #expect(built.negative == expected.negative && built.coefficient == expected.coefficient
                        && built.exponent == expected.exponent && built.format == expected.format, "\(v) e\(exponent)")
            }
        }
    }
}
