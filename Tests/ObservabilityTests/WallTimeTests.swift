import Foundation
import Observability
import Testing

@Suite struct WallTimeTests {
    @Test(arguments: [
        (Int64(0), Int32(0), "1970-01-01T00:00:00.000Z"),
        (951_782_400, 0, "2000-02-29T00:00:00.000Z"),
        (1_709_251_199, 999_999_999, "2024-02-29T23:59:59.999Z"),
        (1_795_330_800, 123_456_789, "2026-11-22T07:00:00.123Z"),
        (4_107_587_696, 5_000_000, "2100-03-01T12:34:56.005Z"),
        (253_402_300_799, 0, "9999-12-31T23:59:59.000Z"),
        (-1, 999_000_000, "1969-12-31T23:59:59.999Z"),
        (-2_208_988_800, 0, "1900-01-01T00:00:00.000Z"),
    ])
    func formats(seconds: Int64, nanoseconds: Int32, expected: String) {
        #expect(WallTime(seconds: seconds, nanoseconds: nanoseconds).rfc3339 == expected)
    }

    /// Cross-check the civil-date math against Foundation over ~300 years of pseudo-random instants.
    @Test func agreesWithFoundation() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        var seconds: Int64 = -2_208_988_800
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        while seconds < 7_258_118_400 {
            let ours = WallTime(seconds: seconds).rfc3339
            let theirs = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect(ours == theirs.replacingOccurrences(of: "Z", with: ".000Z"), "\(seconds)")
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            seconds += Int64(state >> 40) % 5_000_000 + 1
        }
    }

    @Test func nowIsAfter2025() {
        #expect(WallTime.now().seconds > 1_735_689_600)
    }
}
