/// The fuzz targets, by executable name. Each entry point takes arbitrary bytes, drives one
/// input-facing component the way the server does, and returns the invariants the input broke
/// (empty = fine). A trap inside is itself a finding: libFuzzer records the input.
///
/// The `Fuzz/<name>` executables (built only by `scripts/fuzz`) call `run` and trap on a
/// non-empty answer; `FuzzTargetsTests` replays saved inputs through the same `run`.
public enum FuzzEntry: String, CaseIterable, Sendable {
    case http1Parser = "FuzzHTTP1Parser"
    case http2Session = "FuzzHTTP2Session"
    case jsonParser = "FuzzJSONParser"
    case jsonPatch = "FuzzJSONPatch"
    case quantity = "FuzzQuantity"
    case admissionReview = "FuzzAdmissionReview"

    public func run(_ data: [UInt8]) async -> [String] {
        switch self {
        case .http1Parser: return HTTP1ParserFuzz.run(data)
        case .http2Session: return HTTP2SessionFuzz.run(data)
        case .jsonParser: return JSONParserFuzz.run(data)
        case .jsonPatch: return JSONPatchFuzz.run(data)
        case .quantity: return QuantityFuzz.run(data)
        case .admissionReview: return await AdmissionReviewFuzz.run(data)
        }
    }

    /// The synchronous targets (all but the engine, whose rules are async).
    public func runSync(_ data: [UInt8]) -> [String]? {
        switch self {
        case .http1Parser: return HTTP1ParserFuzz.run(data)
        case .http2Session: return HTTP2SessionFuzz.run(data)
        case .jsonParser: return JSONParserFuzz.run(data)
        case .jsonPatch: return JSONPatchFuzz.run(data)
        case .quantity: return QuantityFuzz.run(data)
        case .admissionReview: return nil
        }
    }
}
