@testable import AdmissionWebhook
import Testing
import WebhookHTTP

/// `AdmissionHandler.isJSON` scans ASCII values byte by byte; its answers must be those of the
/// Character-based check it replaced (kept here as the reference) for every kind of value.
@Suite struct ContentTypeTests {
    /// The previous implementation, verbatim.
    static func reference(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let media = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        var s = media
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return HTTPHeaders.equalsIgnoringCase(String(s), "application/json")
    }

    static let rows: [(String?, Bool)] = [
        (nil, false), ("", false), (";", false), (" ", false),
        ("application/json", true), ("APPLICATION/JSON", true), ("Application/Json", true),
        ("application/json;", true), ("application/json; charset=utf-8", true),
        ("\t application/json \t; charset=utf-8", true), ("application/json ;", true),
        ("application/json;charset=\u{E9}", true), ("application/json; a; b", true),
        ("application/jsonx", false), ("application/jso", false), ("xapplication/json", false),
        ("application/json-patch+json", false), ("application/ json", false), ("application/yaml", false),
        ("text/plain", false), ("application/json\r\n", false), ("\napplication/json", false),
        ("application\u{2215}json", false), ("application/json\u{A0}", false),
        // A combining mark after `;` or a space joins it into one Character: no split, no trim.
        ("application/json;\u{301}charset=utf-8", false), ("application/json \u{301}", false),
        (" \u{301}application/json", false), ("\u{E9}application/json", false),
        ("application/\u{130}SON", false), ("application/j\u{17F}on", false),
        (String(repeating: " ", count: 40) + "application/json", true),
    ]

    @Test(arguments: rows.indices)
    func agreesWithTheCharacterBasedCheck(_ i: Int) {
        let (value, expected) = Self.rows[i]
        #expect(Self.reference(value) == expected, "reference disagrees with the table for \(String(describing: value))")
        #expect(AdmissionHandler.isJSON(value) == expected, "\(String(describing: value))")
    }
}
