import Testing
@testable import Quantity

@Suite struct QuantityScalingTests {
    typealias Row = (input: String, numerator: Int64, denominator: Int64,
                     rounding: Quantity.Rounding, granularity: Quantity.Granularity, expected: String?)

    static let rows: [Row] = [
        ("1", 2, 3, .down, .milli, "666m"), ("1", 2, 3, .up, .milli, "667m"),
        ("1", 2, 3, .toNearestOrAwayFromZero, .milli, "667m"), ("1", 2, 3, .down, .nano, "666666666n"),
        ("1Gi", 1, 2, .down, .unit, "512Mi"), ("1Gi", 2, 3, .down, .unit, "715827882"),
        ("1Gi", 2, 3, .up, .unit, "715827883"), ("500m", 3, 2, .down, .milli, "750m"),
        ("100m", -1, 1, .down, .milli, "-100m"), ("-1", 1, 3, .down, .milli, "-333m"),
        ("-1", 1, 3, .up, .milli, "-334m"), ("1", -1, -3, .up, .milli, "334m"), ("1", 1, 0, .down, .unit, nil),
        ("9223372036854775807", 2, 1, .down, .unit, nil), ("9223372036854775807", 1, 1, .down, .unit, "9223372036854775807"),
        ("4Ei", 2, 1, .down, .unit, nil), ("4Ei", 3, 2, .down, .unit, "6Ei"), ("1e30", 1, 1, .down, .nano, nil),
        ("1e30", 1, 1_000_000_000_000_000_000, .down, .unit, "1e12"), ("0", 5, 3, .up, .milli, "0"),
        ("1n", 1, 2, .up, .nano, "1n"), ("1n", 1, 2, .down, .nano, "0"), ("1n", 1, 2, .toNearestOrAwayFromZero, .nano, "1n"),
        ("3", 1, 2, .toNearestOrAwayFromZero, .unit, "2"), ("5", 1, 4, .toNearestOrAwayFromZero, .unit, "1"),
        ("1500m", .max, .max, .down, .milli, "1500m"), ("1", .min, 1, .down, .unit, nil),
        ("1m", .max, 1, .down, .milli, "9223372036854775807m"), ("2", 1, 3, .down, .unit, "0"),
        ("1.5", 1, 1, .down, .unit, "1"), ("1.5", 1, 1, .up, .unit, "2"), ("250m", 4, 1, .down, .nano, "1"),
    ]

    @Test(arguments: rows)
    func scales(_ row: Row) throws {
        let result = try Quantity(parsing: row.input)
            .scaled(by: row.numerator, over: row.denominator, rounding: row.rounding, granularity: row.granularity)
        #expect(result?.description == row.expected, "\(row)")
    }

    @Test func defaultGranularityIsNanoAndFormatIsKept() throws {
        let limit = try Quantity(parsing: "1Gi")
        let scaled = limit.scaled(by: 3, over: 2, rounding: .down)
        #expect(scaled?.format == .binarySI)
        #expect(scaled?.description == "1536Mi")
        #expect(try Quantity(parsing: "1").scaled(by: 1, over: 3, rounding: .up)?.description == "333333334n")
    }
}
