import JSON
import Testing
@testable import YAMLValue

struct ConversionTests {
    @Test func keepsKeyOrderAndNesting() throws {
        let yaml = """
        zeta: 1
        alpha:
          - b: 2
            a: [x, "y", 3]
          - {}
        mid: {q: 1, p: 2}
        """
        let value = try YAMLValue.parse(yaml)
        #expect(JSONWriter.bytes(value) == Array(#"{"zeta":1,"alpha":[{"b":2,"a":["x","y",3]},{}],"mid":{"q":1,"p":2}}"#.utf8))
    }

    @Test func jsonIsYAML() throws {
        let json = #"{"kind":"List","items":[{"a":1.25,"b":"x","c":null,"d":true}]}"#
        #expect(try YAMLValue.parse(json) == (try JSONParser.parse(Array(json.utf8))))
    }

    @Test func emptyTextIsNull() throws {
        #expect(try YAMLValue.parse("") == .null)
        #expect(try YAMLValue.parse("# only a comment\n") == .null)
    }

    @Test func multipleDocumentsWithLines() throws {
        let yaml = """
        # leading comment
        ---
        a: 1
        ---
        ---
        b: 2
        c: 3
        """
        let docs = try YAMLValue.parseDocuments(yaml)
        #expect(docs.map(\.value) == [["a": 1], .null, ["b": 2, "c": 3]])
        #expect(docs.map(\.index) == [0, 1, 2])
        #expect(docs[0].line == 3)
        #expect(docs[2].line == 6)
    }

    @Test func singleParseRejectsSeveralDocuments() {
        #expect(throws: YAMLError.self) { try YAMLValue.parse("a: 1\n---\nb: 2\n") }
    }

    @Test func anchorsAliasesAndMergeKeys() throws {
        let yaml = """
        base: &base {cpu: 100m, memory: 1Gi}
        small:
          <<: *base
          memory: 64Mi
        list: [*base, *base]
        """
        let value = try YAMLValue.parse(yaml)
        #expect(value["small"] == ["memory": "64Mi", "cpu": "100m"])
        #expect(JSONWriter.bytes(value["small"] ?? .null) == Array(#"{"memory":"64Mi","cpu":"100m"}"#.utf8))
        #expect(value["list"]?[1] == ["cpu": "100m", "memory": "1Gi"])
    }

    @Test func aliasBombIsAnErrorNotACrash() {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 {
            let refs = Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ")
            yaml += "a\(i): &a\(i) [\(refs)]\n"
        }
        #expect(throws: YAMLError.self) { try YAMLValue.parse(yaml) }
    }

    @Test func bytesWithBOMAndBadUTF8() throws {
        #expect(try YAMLValue.parse(bytes: [0xEF, 0xBB, 0xBF] + Array("a: 1".utf8)) == ["a": 1])
        #expect(throws: YAMLError.self) { try YAMLValue.parse(bytes: [0x61, 0x3A, 0x20, 0xFF]) }
    }
}
