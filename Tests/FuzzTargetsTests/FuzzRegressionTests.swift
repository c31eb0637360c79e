import Foundation
import FuzzTargets
import Testing

/// Every input a fuzzer once crashed on (or broke an invariant with) is kept in
/// `Fixtures/regressions/<FuzzTarget>/` and replayed through the very entry point the fuzzer
/// drives: it must now pass cleanly. Seeds from the fixtures go through too, so each entry
/// point is exercised even while a directory is empty.
struct FuzzRegressionTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/regressions")

    static func inputs(_ entry: FuzzEntry) throws -> [(name: String, bytes: [UInt8])] {
        let dir = fixtures.appendingPathComponent(entry.rawValue)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { !$0.hasPrefix(".") }.sorted()
        return try names.map { ($0, [UInt8](try Data(contentsOf: dir.appendingPathComponent($0)))) }
    }

    @Test(arguments: FuzzEntry.allCases)
    func savedFindingsPassTheirTarget(_ entry: FuzzEntry) async throws {
        for input in try Self.inputs(entry) {
            let problems = await entry.run(input.bytes)
            #expect(problems.isEmpty, "\(entry.rawValue)/\(input.name): \(problems)")
        }
    }

    /// The invariant checks are live: an input that breaks nothing passes, and the same entry
    /// point is reachable synchronously for every target the fuzz driver runs without a Task.
    @Test(arguments: FuzzEntry.allCases)
    func emptyAndTrivialInputsPass(_ entry: FuzzEntry) async {
        for input in [[], Array("{}".utf8), Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8), [0, 0xff, 0x7f]] as [[UInt8]] {
            let problems = await entry.run(input)
            #expect(problems.isEmpty, "\(entry.rawValue) \(input): \(problems)")
            if let sync = entry.runSync(input) { #expect(sync == problems) }
        }
    }
}
