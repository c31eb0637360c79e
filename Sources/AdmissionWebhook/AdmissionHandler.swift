import AdmissionAPI
import AdmissionRules
import Logging
import WebhookHTTP

/// `/mutate` or `/validate`: AdmissionReview JSON in, AdmissionReview JSON out.
/// Mount it for POST only (the router answers 405 for other methods).
///
/// - Content-Type other than `application/json` (parameters allowed) → 415, text.
/// - Body that is not an AdmissionReview → 400 with a one-line text message.
/// - Otherwise always 200 with a complete response review (denials are in the body).
public struct AdmissionHandler: HTTPHandler {
    public let endpoint: AdmissionEndpoint
    public let engine: AdmissionEngine
    public let logger: Logger
    public let observer: (any AdmissionObserver)?

    public init(endpoint: AdmissionEndpoint, engine: AdmissionEngine, logger: Logger,
                observer: (any AdmissionObserver)? = nil) {
        self.endpoint = endpoint
        self.engine = engine
        self.logger = logger
        self.observer = observer
    }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let clock = ContinuousClock()
        let start = clock.now
        guard Self.isJSON(request.headers["content-type"]) else {
            let got = request.headers["content-type"].map { "\"\($0)\"" } ?? "none"
            let message = "Content-Type must be application/json, got \(got)"
            finishRejected(.unsupportedMediaType, 415, message, start: start, clock: clock)
            return .text(415, message)
        }
        switch await engine.process(request.body, endpoint: endpoint) {
        case .badRequest(let error):
            finishRejected(.badRequest, 400, error.message, start: start, clock: clock)
            return .text(400, error.message)
        case .reviewed(let reviewed):
            let latency = clock.now - start
            let req = reviewed.review.request
            let result: AdmissionDecision.Result
            switch reviewed.report.decision {
            case .allowed: result = .allowed
            case .patched: result = .patched
            case .denied: result = .denied
            case .errored: result = .errored
            }
            log(reviewed, result: result, latency: latency)
            observer?.observe(AdmissionDecision(
                endpoint: endpoint, result: result, httpStatus: 200, uid: req.uid, namespace: req.namespace,
                name: req.name, operation: req.operation, resource: req.resource, subResource: req.subResource,
                dryRun: req.dryRun, version: reviewed.review.version, report: reviewed.report,
                status: reviewed.response.allowed ? nil : reviewed.response.status, problem: nil, latency: latency))
            return .json(200, reviewed.bytes)
        }
    }

    private func finishRejected(_ result: AdmissionDecision.Result, _ status: Int, _ message: String,
                                start: ContinuousClock.Instant, clock: ContinuousClock) {
        let latency = clock.now - start
        logger.warning("admission request rejected", metadata: [
            "endpoint": "\(endpoint.rawValue)", "http_status": "\(status)", "error": "\(message)",
        ])
        observer?.observe(AdmissionDecision(
            endpoint: endpoint, result: result, httpStatus: status, uid: "", namespace: "", name: "",
            operation: nil, resource: nil, subResource: "", dryRun: false, version: nil, report: nil,
            status: nil, problem: message, latency: latency))
    }

    private func log(_ reviewed: ReviewedAdmission, result: AdmissionDecision.Result, latency: Duration) {
        let report = reviewed.report
        let failed = report.failedRules
        // The decision line is info: don't build its metadata when info is off.
        if failed.isEmpty && logger.logLevel > .info { return }
        let req = reviewed.review.request
        var metadata: Logger.Metadata = [
            "endpoint": "\(endpoint.rawValue)",
            "uid": "\(req.uid)",
            "namespace": "\(req.namespace)",
            "name": "\(req.name)",
            "operation": "\(req.operation.rawValue)",
            "resource": "\(req.resource.resource)",
            "result": "\(result.rawValue)",
            "rules": "\(report.summary)",
            "latency_us": "\(latency.components.seconds &* 1_000_000 &+ latency.components.attoseconds / 1_000_000_000_000)",
        ]
        if report.patchOperations > 0 { metadata["patch_ops"] = "\(report.patchOperations)" }
        if !reviewed.response.allowed, let s = reviewed.response.status {
            metadata["code"] = "\(s.code)"
            metadata["message"] = "\(s.message)"
        }
        if !report.notes.isEmpty { metadata["notes"] = "\(report.notes.joined(separator: "; "))" }
        if !report.sanitization.isEmpty { metadata["sanitized"] = "\(report.sanitization.summary)" }
        if !failed.isEmpty {
            metadata["rule_errors"] = "\(failed.map { "\($0.rule): \(Self.failureMessage($0.result))" }.joined(separator: "; "))"
            logger.warning("admission rule failed", metadata: metadata)
        } else {
            logger.debug("admission decision", metadata: metadata)
        }
    }

    private static func failureMessage(_ r: RuleResult) -> String {
        if case .failed(let m, let p) = r { return "\(m) (failurePolicy \(p.rawValue))" }
        return r.label
    }

    /// `application/json`, case-insensitive, parameters such as `charset=utf-8` allowed.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        // ASCII (every real Content-Type): the media type before any `;`, without surrounding
        // spaces and tabs, compared byte by byte ignoring case; no Substring or String is made.
        if let answer = contentType.utf8.withContiguousStorageIfAvailable(isJSONASCII), let answer {
            return answer
        }
        // Non-ASCII, or not contiguous: by Characters, as always (a `;` or space followed by a
        // combining mark is one Character and neither splits nor is trimmed).
        let media = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let trimmed = media.trimmingSpaces()
        return HTTPHeaders.equalsIgnoringCase(String(trimmed), "application/json")
    }

    /// `isJSON` for an ASCII value; nil when the value has a non-ASCII byte.
    private static func isJSONASCII(_ value: UnsafeBufferPointer<UInt8>) -> Bool? {
        var end = 0
        while end < value.count, value[end] != UInt8(ascii: ";") {
            guard value[end] < 0x80 else { return nil }
            end += 1
        }
        for b in value[end...] where b >= 0x80 { return nil }
        var start = 0
        while start < end, value[start] == 0x20 || value[start] == 0x09 { start += 1 }
        while end > start, value[end - 1] == 0x20 || value[end - 1] == 0x09 { end -= 1 }
        let expected: StaticString = "application/json"
        guard end - start == expected.utf8CodeUnitCount else { return false }
        let e = expected.utf8Start
        for i in 0..<(end - start) {
            let b = value[start + i]
            let lower = (b >= 65 && b <= 90) ? b | 0x20 : b
            if lower != e[i] { return false }
        }
        return true
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return s
    }
}
