/// Why a request body is not an AdmissionReview we can answer. `message` is one line,
/// safe to send back as a 400 body and to log.
public struct AdmissionReviewDecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    /// Control characters (e.g. from an escaped `\n` in a key we quote) become spaces.
    public init(_ message: String) { self.message = ResponseSanitizer.singleLine(message) }

    public var description: String { message }
}
