import Testing
@testable import Quantity

@Suite struct QuantityComparisonTests {
    /// (a, b, Kubernetes Cmp(a, b)) across formats.
    static let ordered: [(String, String, Int)] = [
        ("0", "0", 0), ("100m", "50m", 1), ("50m", "100m", -1), ("10000T", "100Gi", 1), ("1Gi", "1073741824", 0),
        ("1", "1000m", 0), ("1e3", "1k", 0), ("-1", "1", -1), ("-2", "-1", -1), ("0", "-1n", 1),
        ("1e30", "9223372036854775807", 1), ("0.5Ki", "512", 0), ("1n", "0", 1), ("1.5Gi", "1536Mi", 0),
        ("999m", "1", -1), ("1001m", "1", 1), ("1e-30", "1n", 0), ("0Mi", "0e3", 0),
        ("12345678901234567890123", "12345678901234567890124", -1), ("-1e30", "-1e29", -1), ("8Ei", "9Ei", 0),
        ("1E", "1Ei", -1), ("1.0", "1", 0), ("100m", "0.1", 0),
    ]

    @Test(arguments: ordered)
    func compares(_ a: String, _ b: String, _ expected: Int) throws {
        let x = try Quantity(parsing: a), y = try Quantity(parsing: b)
        #expect(x.compare(to: y) == expected)
        #expect(y.compare(to: x) == -expected)
        #expect((x < y) == (expected < 0))
        #expect((x == y) == (expected == 0))
        if expected == 0 { #expect(x.hashValue == y.hashValue) }
    }

    @Test func equalValuesCollapseInASet() throws {
        let set = Set(try ["1Gi", "1024Mi", "1073741824", "1.073741824G", "1", "1000m"].map { try Quantity(parsing: $0) })
        #expect(set.count == 2)
        let sorted = try ["1Gi", "-1", "100m", "1e30", "0"].map { try Quantity(parsing: $0) }.sorted()
        #expect(sorted.map(\.description) == ["-1", "0", "100m", "1Gi", "1e30"])
    }
}
