/// What the encoder had to change to keep a response inside the apiserver contract;
/// empty when nothing was touched. The caller logs it.
public struct ResponseSanitization: Sendable, Hashable {
    /// Warnings that had control characters replaced by spaces.
    public var warningsCleaned = 0
    /// Warnings cut to `AdmissionLimits.maxWarningBytes` (ending in `…`).
    public var warningsTruncated = 0
    /// Warnings dropped: empty after cleaning, or beyond the total budget.
    public var warningsDropped = 0
    /// Audit annotation keys that break contract rule 11, dropped (sorted).
    public var droppedAuditAnnotationKeys: [String] = []
    /// A patch was dropped: the response was a denial, or the endpoint must not patch.
    public var patchDropped = false
    /// A denial had no status or a code below 400 and was given one.
    public var statusRepaired = false

    public init() {}

    public var isEmpty: Bool { self == ResponseSanitization() }

    /// One-line summary for logs.
    public var summary: String {
        var parts: [String] = []
        if warningsCleaned > 0 { parts.append("\(warningsCleaned) warning(s) had control characters replaced") }
        if warningsTruncated > 0 { parts.append("\(warningsTruncated) warning(s) truncated") }
        if warningsDropped > 0 { parts.append("\(warningsDropped) warning(s) dropped") }
        if !droppedAuditAnnotationKeys.isEmpty {
            parts.append("invalid audit annotation keys dropped: \(droppedAuditAnnotationKeys.joined(separator: ", "))")
        }
        if patchDropped { parts.append("patch dropped") }
        if statusRepaired { parts.append("denial status repaired") }
        return parts.isEmpty ? "nothing changed" : parts.joined(separator: "; ")
    }
}

/// Contract limits (apiserver-contract.md rules 11 and 12). Warning sizes are counted in
/// UTF-8 bytes, which is never more lenient than counting characters.
public enum AdmissionLimits {
    public static let maxWarningBytes = 256
    public static let maxTotalWarningBytes = 4096
    public static let maxAuditAnnotationKeyLength = 63
}

public enum ResponseSanitizer {
    /// Replaces C0/C1 control characters and DEL by spaces, trims surrounding spaces,
    /// truncates each warning, drops empty ones and those past the total budget.
    public static func sanitizeWarnings(_ warnings: [String], into report: inout ResponseSanitization) -> [String] {
        var out: [String] = []
        var total = 0
        for (i, w) in warnings.enumerated() {
            var scalars = String.UnicodeScalarView()
            var cleaned = false
            for s in w.unicodeScalars {
                if isControl(s) { scalars.append(" "); cleaned = true } else { scalars.append(s) }
            }
            var text = trimSpaces(String(scalars))
            if cleaned { report.warningsCleaned += 1 }
            if text.isEmpty { report.warningsDropped += 1; continue }
            if text.utf8.count > AdmissionLimits.maxWarningBytes {
                text = truncate(text, toBytes: AdmissionLimits.maxWarningBytes)
                report.warningsTruncated += 1
            }
            let size = text.utf8.count
            if total + size > AdmissionLimits.maxTotalWarningBytes {
                report.warningsDropped += warnings.count - i
                break
            }
            total += size
            out.append(text)
        }
        return out
    }

    /// Rule 11: no `/`, at most 63 characters, `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`.
    public static func isValidAuditAnnotationKey(_ key: String) -> Bool {
        let bytes = Array(key.utf8)
        guard !bytes.isEmpty, bytes.count <= AdmissionLimits.maxAuditAnnotationKeyLength else { return false }
        func alnum(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
        }
        guard let first = bytes.first, let last = bytes.last, alnum(first), alnum(last) else { return false }
        return bytes.allSatisfy { alnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }

    /// Makes `text` one line: control characters become spaces (for status messages).
    public static func singleLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var scalars = String.UnicodeScalarView()
        for s in text.unicodeScalars { scalars.append(isControl(s) ? " " : s) }
        return String(scalars)
    }

    static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (s.value >= 0x7F && s.value <= 0x9F)
    }

    private static func trimSpaces(_ s: String) -> String {
        var scalars = Substring(s).unicodeScalars
        while scalars.first == " " { scalars.removeFirst() }
        while scalars.last == " " { scalars.removeLast() }
        return String(scalars)
    }

    /// Cuts at a scalar boundary so that the text plus `…` fits in `limit` bytes.
    static func truncate(_ text: String, toBytes limit: Int) -> String {
        let ellipsis = "…"
        let budget = limit - ellipsis.utf8.count
        var used = 0
        var scalars = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            let n = UTF8.width(s)
            if used + n > budget { break }
            used += n
            scalars.append(s)
        }
        return String(scalars) + ellipsis
    }
}
