import JSON
import Testing

@Suite struct DepthTests {
    enum Shape: String, CaseIterable, Sendable { case arrays, objects, mixed }

    static func nested(_ shape: Shape, depth: Int) -> [UInt8] {
        var out: [UInt8] = []
        for level in 0..<depth {
            let object = shape == .objects || (shape == .mixed && level % 2 == 1)
            out.append(contentsOf: object ? Array("{\"k\":".utf8) : [UInt8(ascii: "[")])
        }
        out.append(contentsOf: "1".utf8)
        for level in (0..<depth).reversed() {
            let object = shape == .objects || (shape == .mixed && level % 2 == 1)
            out.append(object ? UInt8(ascii: "}") : UInt8(ascii: "]"))
        }
        return out
    }

    /// Parses, writes, compares and hashes a value nested `depth` deep on its own thread.
    static func exercise(_ bytes: [UInt8], stackSize: Int) -> Result<Bool, JSONParseError>? {
        let box = ResultBox<Result<Bool, JSONParseError>?>(nil)
        let ran = runOnThread(stackSize: stackSize) {
            do throws(JSONParseError) {
                let v = try JSONParser.parse(bytes)
                let again = try JSONParser.parse(JSONWriter.bytes(v))
                var h1 = Hasher(), h2 = Hasher()
                h1.combine(v); h2.combine(again)
                box.value = .success(JSONWriter.bytes(v) == bytes && v == again && h1.finalize() == h2.finalize())
            } catch {
                box.value = .failure(error)
            }
        }
        return ran ? box.value : nil
    }

    static let eightMiB = 8 << 20
    /// The stack of a secondary thread in small configurations (e.g. Swift concurrency pools).
    static let halfMiB = 512 << 10

    @Test(arguments: Shape.allCases, [eightMiB, halfMiB])
    func maximumDepthIsAccepted(_ shape: Shape, stackSize: Int) throws {
        let result = try #require(Self.exercise(Self.nested(shape, depth: 512), stackSize: stackSize))
        #expect(try result.get() == true)
    }

    @Test(arguments: Shape.allCases, [eightMiB, halfMiB])
    func oneLevelTooDeepIsRejected(_ shape: Shape, stackSize: Int) throws {
        let result = try #require(Self.exercise(Self.nested(shape, depth: 513), stackSize: stackSize))
        guard case .failure(let e) = result else {
            Issue.record("depth 513 was accepted")
            return
        }
        #expect(e.message == "nesting deeper than 512 levels")
        #expect(e.line == 1)
    }

    @Test func hugeNestingStopsAtTheLimitWithoutRecursingFurther() throws {
        // 1,000,000 brackets: recursion must stop at 513 levels, not walk the whole input.
        let bytes = [UInt8](repeating: UInt8(ascii: "["), count: 1_000_000)
        let result = try #require(Self.exercise(bytes, stackSize: Self.halfMiB))
        guard case .failure(let e) = result else {
            Issue.record("accepted")
            return
        }
        #expect(e.offset == 512)
        #expect(e.column == 513)
    }

    @Test(arguments: [(1, true), (2, true), (3, false)])
    func customMaxDepth(_ depth: Int, _ accepted: Bool) {
        let bytes = Self.nested(.arrays, depth: depth)
        #expect(((try? JSONParser.parse(bytes, maxDepth: 2)) != nil) == accepted, "depth \(depth)")
    }
}
