import Testing
@testable import Quantity

@Suite struct QuantityParsingTests {
    /// (input, milliValue, value): both round away from zero and saturate at the Int64 bounds.
    static let values: [(String, Int64, Int64)] = [
        ("100m", 100, 1), ("0.5", 500, 1), ("1", 1000, 1), ("0", 0, 0), ("-1.5", -1500, -2),
        ("1.5Gi", 1_610_612_736_000, 1_610_612_736), ("128Mi", 134_217_728_000, 134_217_728),
        ("1n", 1, 1), ("-1n", -1, -1), ("0.0001", 1, 1), ("1e3", 1_000_000, 1000), ("2.5k", 2_500_000, 2500),
        ("9223372036854775807", .max, .max), ("9223372036854775808", .max, .max),
        ("-9223372036854775808", .min, .min), ("-9223372036854775809", .min, .min),
        ("9223372036854775", 9_223_372_036_854_775_000, 9_223_372_036_854_775),
        ("9223372036854775.807", .max, 9_223_372_036_854_776), ("9223372036854775.8075", .max, 9_223_372_036_854_776),
        ("1E", .max, 1_000_000_000_000_000_000), ("9E", .max, 9_000_000_000_000_000_000), ("10E", .max, .max),
        ("8Ei", .max, .max), ("4Ei", .max, 4_611_686_018_427_387_904), ("1e30", .max, .max), ("-1e30", .min, .min),
        ("1e-30", 1, 1), ("1e2147483647", .max, .max), ("-1e2147483647", .min, .min), ("1e-2147483648", 1, 1),
    ]

    @Test(arguments: values)
    func milliAndUnitValues(_ input: String, _ milli: Int64, _ value: Int64) throws {
        let quantity = try Quantity(parsing: input)
        #expect(quantity.milliValue == milli, "\(input)")
        #expect(quantity.value == value, "\(input)")
    }

    /// (input, format): the suffix kind, except a binary value in (0, 1) becomes decimalSI.
    static let formats: [(String, Quantity.Format)] = [
        ("1", .decimalSI), ("0", .decimalSI), ("1Ki", .binarySI), ("0Ki", .binarySI), ("0.5Ki", .binarySI),
        ("0.000000000001Ki", .decimalSI), ("1e3", .decimalExponent), ("1E3", .decimalExponent),
        ("1E", .decimalSI), ("0.5e0", .decimalExponent), ("100m", .decimalSI), ("9Ei", .binarySI),
    ]

    @Test(arguments: formats)
    func parsedFormat(_ input: String, _ format: Quantity.Format) throws {
        #expect(try Quantity(parsing: input).format == format)
    }

    /// (input, isWholeMilli, isWholeUnit)
    static let wholeness: [(String, Bool, Bool)] = [
        ("1", true, true), ("100m", true, false), ("1500u", false, false), ("0.0001", false, false),
        ("1.5Gi", true, true), ("0", true, true), ("1e30", true, true), ("1.1Mi", true, false), ("-2m", true, false),
    ]

    @Test(arguments: wholeness)
    func wholeMilliAndUnit(_ input: String, _ wholeMilli: Bool, _ wholeUnit: Bool) throws {
        let quantity = try Quantity(parsing: input)
        #expect(quantity.isWholeMilli == wholeMilli, "\(input)")
        #expect(quantity.isWholeUnit == wholeUnit, "\(input)")
    }

    /// (input, kind). "Ki", ".", "-" are zero for Kubernetes but rejected here on purpose.
    static let rejected: [(String, QuantityError.Kind)] = [
        ("", .formatWrong), ("1.2.3", .formatWrong), ("Ki", .formatWrong), ("1 Gi", .formatWrong),
        ("1ii", .suffix), ("1e", .suffix), ("m", .formatWrong), ("1x", .formatWrong), ("Mi", .formatWrong),
        ("1ki", .suffix), ("1e3.5", .formatWrong), ("--1", .formatWrong), (".", .formatWrong), ("-", .formatWrong),
        ("+", .formatWrong), (" 1", .formatWrong), ("1 ", .formatWrong), ("1.1.M", .formatWrong),
        ("1+1.0M", .formatWrong), ("0.1mi", .suffix), ("0.1am", .formatWrong), ("aoeu", .formatWrong),
        (".5i", .suffix), ("1i", .suffix), ("-3.01i", .suffix), ("-3.01e-", .suffix), ("1E+", .suffix),
        ("1e99999999999999999999999", .suffix), ("1e2147483648", .suffix), ("1e-2147483649", .suffix),
        ("1Mi1", .suffix), ("1e3e3", .formatWrong), ("1Ee3", .suffix), ("1KiB", .formatWrong),
        ("\u{FF11}", .formatWrong), ("1\n", .formatWrong), ("0x10", .formatWrong), ("1_000", .formatWrong),
    ]

    @Test(arguments: rejected)
    func rejects(_ input: String, _ kind: QuantityError.Kind) {
        #expect(throws: QuantityError(kind: kind, input: input)) { try Quantity(parsing: input) }
    }

    @Test func errorIsOneLineNamingTheInput() {
        let error = QuantityError(kind: .formatWrong, input: "1 Gi\nx")
        #expect(error.description
            == #"quantity "1 Gi\u{a}x": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"#)
        #expect(QuantityError(kind: .suffix, input: "1ii").description == #"quantity "1ii": unable to parse quantity's suffix"#)
        let long = QuantityError(kind: .formatWrong, input: String(repeating: "9", count: 500) + "x").description
        #expect(long.count < 200 && long.contains("...\""))
    }

    @Test func hugeInputsStayLinear() throws {
        // A long coefficient with a binary suffix is capped without expanding; a long fraction rounds to nano.
        let manyDigits = String(repeating: "7", count: 100_000)
        #expect(try Quantity(parsing: manyDigits + "Ei").description == "9223372036854775807")
        #expect(try Quantity(parsing: "0." + manyDigits).description == "777777778n")
        #expect(try Quantity(parsing: manyDigits).description.count == 100_000)
    }
}

@Suite struct QuantityUnmarshallingTests {
    static let trimmed: [(String, String?)] = [
        (" 1", "1"), ("1 ", "1"), ("\t100m\n", "100m"), ("\u{00A0}1Gi\u{2028}", "1Gi"), (" -1 ", "-1"),
        ("   ", nil), ("", nil), ("1 Gi", nil), (" 1ii ", nil),
    ]

    @Test(arguments: trimmed)
    func unmarshals(_ input: String, _ expected: String?) {
        let parsed = try? Quantity(unmarshalling: input)
        #expect(parsed?.description == expected)
    }

    @Test func errorNamesTheUntrimmedInput() {
        #expect(throws: QuantityError(kind: .suffix, input: " 1ii ")) { try Quantity(unmarshalling: " 1ii ") }
        #expect(Quantity.zero.isZero && Quantity.zero.description == "0")
    }
}
