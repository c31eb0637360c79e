import Foundation
import JSON
import Testing
import YAMLValue

/// Each `Fixtures/<name>.yaml` (a multi-document stream) converts to the documents in
/// `Fixtures/<name>.json`, with the same values, number text and key order.
struct FixtureConversionTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let names: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
        .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()

    @Test func fixturesExist() { #expect(Self.names.count >= 2) }

    @Test(arguments: names)
    func convertsAsExpected(_ name: String) throws {
        let yaml = [UInt8](try Data(contentsOf: Self.directory.appendingPathComponent("\(name).yaml")))
        let expected = try JSONParser.parse([UInt8](try Data(contentsOf: Self.directory.appendingPathComponent("\(name).json"))))
        let documents = try YAMLValue.parseDocuments(bytes: yaml).map(\.value).filter { !$0.isNull }
        #expect(JSONValue.array(documents) == expected)
        #expect(JSONWriter.bytes(.array(documents)) == JSONWriter.bytes(expected))
    }
}
