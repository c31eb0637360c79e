#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A wall-clock instant (Unix time) for log timestamps.
public struct WallTime: Sendable, Hashable {
    public var seconds: Int64
    public var nanoseconds: Int32

    public init(seconds: Int64, nanoseconds: Int32 = 0) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    public static func now() -> WallTime {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return WallTime(seconds: Int64(ts.tv_sec), nanoseconds: Int32(truncatingIfNeeded: ts.tv_nsec))
    }

    /// `2026-11-22T07:00:00.123Z` (UTC, milliseconds truncated).
    public var rfc3339: String { var b: [UInt8] = []; appendRFC3339(to: &b); return String(decoding: b, as: UTF8.self) }

    /// Civil date from days since 1970-01-01 (H. Hinnant's algorithm), so no Foundation is needed.
    public func appendRFC3339(to out: inout [UInt8]) {
        let secondsPerDay: Int64 = 86_400
        var days = seconds / secondsPerDay
        var secondOfDay = seconds % secondsPerDay
        if secondOfDay < 0 { secondOfDay += secondsPerDay; days -= 1 }

        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)

        let millis = Int64(max(0, min(nanoseconds, 999_999_999)) / 1_000_000)
        appendDigits(year, 4, &out); out.append(UInt8(ascii: "-"))
        appendDigits(month, 2, &out); out.append(UInt8(ascii: "-"))
        appendDigits(day, 2, &out); out.append(UInt8(ascii: "T"))
        appendDigits(secondOfDay / 3600, 2, &out); out.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay / 60 % 60, 2, &out); out.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 60, 2, &out); out.append(UInt8(ascii: "."))
        appendDigits(millis, 3, &out); out.append(UInt8(ascii: "Z"))
    }

    private func appendDigits(_ value: Int64, _ width: Int, _ out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        let digits = Array(String(value.magnitude).utf8)
        if digits.count < width { out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - digits.count)) }
        out.append(contentsOf: digits)
    }
}
