import Foundation
import Observability
import Prometheus
import Testing

/// Feeds the exposition to the reference Python client's parser, so format mistakes the
/// string checks cannot see (escaping, ordering within a histogram, value syntax) fail here.
@Suite struct PrometheusParserTests {
    static let python3: String? = {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(dir)/python3"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    /// Prints `family name type` lines, then `sample name|k=v,…|value` lines (labels sorted; backslash and newline escaped).
    static let script = """
    import sys
    from prometheus_client.parser import text_string_to_metric_families
    text = open(sys.argv[1]).read()
    for fam in text_string_to_metric_families(text):
        print("family", fam.name, fam.type)
        for s in fam.samples:
            labels = ",".join(k + "=" + v.replace("\\\\", "\\\\\\\\").replace("\\n", "\\\\n") for k, v in sorted(s.labels.items()))
            print("sample", s.name + "|" + labels + "|" + repr(float(s.value)))
    """

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(.enabled(if: python3 != nil, "python3 is not on PATH; the reference-parser check cannot run"))
    func referenceParserAcceptsExposition() throws {
        let python = try #require(Self.python3)
        if try Self.run(python, ["-c", "import prometheus_client"]).status != 0 {
            let install = try Self.run(python, ["-m", "pip", "install", "--quiet", "prometheus_client"])
            #expect(install.status == 0, "pip install prometheus_client failed: \(install.output)")
        }

        let metrics = WebhookMetrics(registry: PrometheusCollectorRegistry())
        metrics.recordAdmission(endpoint: "/mutate", resource: "pods", operation: "CREATE", result: .patched, duration: .milliseconds(3))
        metrics.recordAdmission(endpoint: "/mutate", resource: "pods", operation: "CREATE", result: .patched, duration: .milliseconds(7))
        // A label value needing every escape the text format has.
        metrics.recordAdmission(endpoint: "/validate", resource: "we\"ird\\name\nx", operation: "DELETE", result: .denied,
                                duration: .seconds(20))
        metrics.recordRuleEvaluation(rule: "mpa-pod-defaulting", result: .error)
        metrics.connectionOpened(.h2)
        metrics.setCertificateExpiry(unixSeconds: 1_795_330_800)
        metrics.setStateObjects(kind: "Pod", count: 12)
        metrics.recordWatchRestart(kind: "Pod")

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mpa-exposition-\(getpid()).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(metrics.exposition()).write(to: URL(fileURLWithPath: path))

        let result = try Self.run(python, ["-c", Self.script, path])
        try #require(result.status == 0, "parser rejected the exposition:\n\(result.output)")
        let lines = Set(result.output.split(separator: "\n").map(String.init))

        let expectedFamilies = [
            "mpa_admission_requests counter", "mpa_admission_request_duration_seconds histogram",
            "mpa_admission_rule_evaluations counter", "mpa_admission_rule_errors counter",
            "mpa_admission_pods_patched counter", "mpa_admission_in_flight_requests gauge",
            "mpa_admission_http_connections gauge", "mpa_admission_tls_handshake_errors counter",
            "mpa_admission_certificate_reloads counter", "mpa_admission_certificate_expiry_timestamp_seconds gauge",
            "mpa_admission_state_synced gauge", "mpa_admission_state_objects gauge",
            "mpa_admission_state_watch_restarts counter",
        ]
        for family in expectedFamilies { #expect(lines.contains("family " + family), "\(family)") }
        #expect(lines.filter { $0.hasPrefix("family ") }.count == expectedFamilies.count)

        let expectedSamples = [
            "mpa_admission_requests_total|endpoint=/mutate,operation=CREATE,resource=pods,result=patched|2.0",
            #"mpa_admission_requests_total|endpoint=/validate,operation=DELETE,resource=we"ird\\name\nx,result=denied|1.0"#,
            "mpa_admission_request_duration_seconds_bucket|endpoint=/mutate,le=0.005|1.0",
            "mpa_admission_request_duration_seconds_bucket|endpoint=/mutate,le=0.01|2.0",
            "mpa_admission_request_duration_seconds_bucket|endpoint=/validate,le=10.0|0.0",
            "mpa_admission_request_duration_seconds_bucket|endpoint=/validate,le=+Inf|1.0",
            "mpa_admission_request_duration_seconds_count|endpoint=/mutate|2.0",
            "mpa_admission_request_duration_seconds_sum|endpoint=/mutate|0.01",
            "mpa_admission_rule_errors_total|rule=mpa-pod-defaulting|1.0",
            "mpa_admission_http_connections|protocol=h2|1.0",
            "mpa_admission_certificate_expiry_timestamp_seconds||1795330800.0",
            "mpa_admission_state_objects|kind=Pod|12.0",
            "mpa_admission_state_watch_restarts_total|kind=Pod|1.0",
        ]
        for sample in expectedSamples { #expect(lines.contains("sample " + sample), "\(sample)\n\(result.output)") }
    }
}
