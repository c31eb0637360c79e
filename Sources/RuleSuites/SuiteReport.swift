/// The table `mpa-admission test` prints: case, rules, result, reason; failures in full below;
/// then `N passed, M failed`.
public enum SuiteReport {
    public static func render(_ results: [CaseResult], loadErrors: [String] = []) -> String {
        var rows: [[String]] = [["SUITE", "CASE", "RULES", "RESULT", "REASON"]]
        for r in results {
            rows.append([r.suite, r.name, r.rules.isEmpty ? "-" : r.rules, r.passed ? "pass" : "FAIL",
                         r.failures.first.map { cut($0, 70) } ?? ""])
        }
        var widths = Array(repeating: 0, count: 5)
        for row in rows { for (i, cell) in row.enumerated() where i < 4 { widths[i] = max(widths[i], min(cell.count, 60)) } }
        var out = ""
        for row in rows {
            var line = ""
            for (i, cell) in row.enumerated() {
                let text = i < 4 ? cut(cell, 60) : cell
                line += i < 4 ? text.padding(toLength: widths[i] + 2) : text
            }
            out += line.trimmingTrailingSpaces() + "\n"
        }
        let failed = results.filter { !$0.passed }
        for f in failed {
            out += "\nFAIL \(f.suite) / \(f.name)\(f.line.map { " (line \($0))" } ?? "")\n"
            for line in f.failures { out += "  - \(line)\n" }
        }
        for e in loadErrors { out += "\nERROR \(e)\n" }
        return out + "\n" + totals(results, loadErrors: loadErrors) + "\n"
    }

    /// `N passed, M failed` (and unloaded suites, if any).
    public static func totals(_ results: [CaseResult], loadErrors: [String] = []) -> String {
        let failed = results.filter { !$0.passed }.count
        var out = "\(results.count - failed) passed, \(failed) failed"
        if !loadErrors.isEmpty { out += ", \(loadErrors.count) suite(s) not loaded" }
        return out
    }

    static func cut(_ s: String, _ n: Int) -> String { s.count > n ? String(s.prefix(n - 3)) + "..." : s }
}

extension String {
    func padding(toLength n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
