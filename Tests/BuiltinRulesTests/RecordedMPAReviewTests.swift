import AdmissionAPI
import AdmissionRules
import BuiltinRules
import JSON
import JSONPatch
import Testing

/// Recorded MPA AdmissionReviews (`Fixtures/mpa/<case>.review.json`) answered by the real
/// engine with both MPA rules, compared with the recorded answer (`<case>.expected.json`:
/// the endpoint, the whole response review and, for /mutate, the MPA after the patch).
struct RecordedMPAReviewTests {
    static let cases = Fixtures.names(in: "mpa", suffix: ".review.json")

    @Test func everyCaseHasAnAnswer() {
        #expect(Self.cases.count >= 6)
        for c in Self.cases {
            #expect(Fixtures.names(in: "mpa", suffix: ".expected.json").contains(c), "\(c) has no expected answer")
        }
    }

    @Test(arguments: cases)
    func answersAsRecorded(_ name: String) async throws {
        let expected = try Fixtures.json("mpa/\(name).expected.json")
        let endpoint: AdmissionEndpoint = expected["endpoint"] == "validate" ? .validating : .mutating
        let body = JSONWriter.bytes(try Fixtures.json("mpa/\(name).review.json"))
        let run = try await runEngine([MPADefaultsRule(), MPAValidationRule()], body: body, endpoint: endpoint)
        #expect(run.json == expected["response"])
        if endpoint == .mutating {
            #expect(try run.patched() == expected["patched"])
        }
    }
}
