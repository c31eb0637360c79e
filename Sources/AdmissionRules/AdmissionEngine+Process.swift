import AdmissionAPI

/// The result of handling one AdmissionReview body.
public enum AdmissionOutcome: Sendable {
    /// The body was an AdmissionReview; `bytes` is the complete response review.
    case reviewed(ReviewedAdmission)
    /// The body was not an AdmissionReview we can answer (HTTP 400 material).
    case badRequest(AdmissionReviewDecodeError)
}

public struct ReviewedAdmission: Sendable {
    public var review: AdmissionReview
    public var response: AdmissionResponse
    public var report: EvaluationReport
    /// The encoded AdmissionReview response, in the version that was asked.
    public var bytes: [UInt8]
}

extension AdmissionEngine {
    /// Bytes of an AdmissionReview in, bytes of the response review out.
    public func process(_ body: [UInt8], endpoint: AdmissionEndpoint) async -> AdmissionOutcome {
        let review: AdmissionReview
        do {
            review = try AdmissionReview.decode(body)
        } catch {
            return .badRequest(error)
        }
        var (response, report) = await self.review(review.request, endpoint: endpoint)
        let encoded = AdmissionReviewEncoder.encode(response, version: review.version, endpoint: endpoint)
        report.sanitization = encoded.sanitization
        if encoded.sanitization.patchDropped {
            response.patch = []
            report.patchOperations = 0
            if report.decision == .patched { report.decision = .allowed }
        }
        return .reviewed(ReviewedAdmission(review: review, response: response, report: report, bytes: encoded.bytes))
    }
}
