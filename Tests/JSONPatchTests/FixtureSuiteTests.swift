import Foundation
import JSON
import JSONPatch
import Testing

/// One case of the json-patch test suites, kept as its raw bytes so each case is parsed
/// (strictly) on its own: a duplicate key in one case must not hide the others.
struct FixtureCase: Sendable, CustomTestStringConvertible {
    let file: String
    let index: Int
    let raw: [UInt8]
    var testDescription: String { "\(file)#\(index)" }
}

enum Fixtures {
    static let files = ["json-patch-tests", "json-patch-spec-tests"]

    static func load(_ name: String) -> [UInt8] {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"),
              let data = try? Data(contentsOf: url) else { return [] }
        return [UInt8](data)
    }

    /// Splits a top-level JSON array into the raw bytes of its elements (string-aware bracket counting).
    static func splitTopLevelArray(_ bytes: [UInt8]) -> [[UInt8]] {
        var elements: [[UInt8]] = []
        var depth = 0, inString = false, escaped = false, start = -1
        for (i, b) in bytes.enumerated() {
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth == 2 { start = i }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if depth == 2, start >= 0 { elements.append(Array(bytes[start...i])); start = -1 }
                depth -= 1
            default: break
            }
        }
        return elements
    }

    static let cases: [FixtureCase] = files.flatMap { file in
        splitTopLevelArray(load(file)).enumerated().map { FixtureCase(file: file, index: $0.offset, raw: $0.element) }
    }
}

@Suite struct FixtureSuiteTests {
    @Test func suitesAreLoaded() {
        // 95 + 17 cases; guards against a silently empty argument list.
        #expect(Fixtures.cases.count == 112)
    }

    @Test(arguments: Fixtures.cases)
    func fixtureCase(_ c: FixtureCase) throws {
        let value: JSONValue
        do {
            value = try JSONParser.parse(c.raw)
        } catch {
            // Our parser rejects duplicate keys, so such a patch never reaches apply; that is
            // only acceptable for cases that expect an error.
            #expect(error.message.hasPrefix("duplicate key"), "\(error)")
            let text = String(decoding: c.raw, as: UTF8.self)
            #expect(text.contains("\"error\""), "a case expected to succeed does not parse: \(error)")
            return
        }
        if value["disabled"] == .bool(true) { return }
        let doc = try #require(value["doc"])
        let patch = try #require(value["patch"])
        let comment = value["comment"]?.stringValue ?? ""
        if let expected = value["expected"] {
            let ops = try JSONPatch.decode(patch)
            let result = try JSONPatch.apply(ops, to: doc)
            #expect(result == expected, "\(comment)")
        } else {
            #expect(value["error"] != nil, "case has neither expected nor error")
            #expect(throws: JSONPatchError.self, "\(comment)") {
                _ = try JSONPatch.apply(try JSONPatch.decode(patch), to: doc)
            }
        }
    }
}
