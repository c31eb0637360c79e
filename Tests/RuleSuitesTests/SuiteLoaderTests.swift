import Foundation
import JSON
@testable import RuleSuites
import Testing

enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    static func path(_ name: String) -> String { directory + "/" + name }
}

struct SuiteLoaderTests {
    /// Each broken suite file is refused with the file, the line and the key.
    static let broken: [(String, String)] = [
        ("unknown-case-key.yaml", "unknown-case-key.yaml:6:5: cases[1].objekt: unknown key"),
        ("bad-endpoint.yaml", "bad-endpoint.yaml:3:15: cases[0].endpoint: must be mutating, validating or both, got \"mutate\""),
        ("empty-expect.yaml", "empty-expect.yaml:4:13: cases[0].expect: must check something"),
        ("duplicate-name.yaml", "duplicate-name.yaml:5:11: cases[1].name: \"a\" is used twice"),
        ("update-without-old.yaml", "update-without-old.yaml:2:5: cases[0].oldObject: is required for UPDATE"),
        ("missing-file.yaml", "loader/nowhere.yaml: cannot read file"),
        ("bad-rule-result.yaml", "bad-rule-result.yaml:5:18: cases[0].expect.rules.x: must be one of"),
        ("no-cases.yaml", "no-cases.yaml:1:1: cases: is required"),
        ("not-yaml.yaml", "not-yaml.yaml: line 2"),
    ]

    @Test func brokenSuitesNameFileLineAndKey() {
        for (file, expected) in Self.broken {
            do {
                _ = try SuiteLoader.load(Fixtures.path("loader/" + file))
                Issue.record("\(file) loaded")
            } catch {
                #expect(error.description.contains(expected), "\(file): \(error.description)")
            }
        }
    }

    @Test func discoversSuiteFilesRecursivelySorted() throws {
        let found = try SuiteLoader.discover(Fixtures.directory)
        #expect(found.map { ($0 as NSString).lastPathComponent } == ["suite.yaml"])
        #expect(found.first?.hasSuffix("runner/suite.yaml") == true)
        #expect(throws: SuiteLoadError.self) { try SuiteLoader.discover(Fixtures.path("loader")) }
        #expect(throws: SuiteLoadError.self) { try SuiteLoader.discover(Fixtures.path("absent")) }
    }

    @Test func bareObjectsBecomeReviews() throws {
        let suite = try SuiteLoader.load(Fixtures.path("runner/suite.yaml"))
        #expect(suite.name == "runner")
        #expect(suite.config?.hasSuffix("runner/any.yaml") == true)
        #expect(suite.namespaceLabels == ["prod": ["env": "prod"]])
        let request = try #require(suite.cases.first?.review["request"])
        #expect(request["operation"] == "CREATE")
        #expect(request["namespace"] == "prod")
        #expect(request["resource"] == ["group": "", "version": "v1", "resource": "pods"])
        #expect(request["object"]?["metadata"]?["namespace"] == "prod")
        #expect(request["object"]?["metadata"]?["labels"]?["team"] == "core")
        #expect(suite.cases.map(\.line) == [5, 12, 22, 29])
    }

    static let plurals: [(String, String)] = [
        ("Pod", "pods"), ("Deployment", "deployments"), ("NetworkPolicy", "networkpolicies"), ("Ingress", "ingresses"),
        ("Gateway", "gateways"), ("MultidimPodAutoscaler", "multidimpodautoscalers"),
    ]

    @Test func pluralResourceNames() {
        for (kind, resource) in Self.plurals { #expect(SuiteLoader.plural(kind) == resource) }
    }
}

struct SubsetDiffTests {
    static let cases: [(expected: JSONValue, actual: JSONValue?, diffs: [String])] = [
        (["a": 1], ["a": 1, "b": 2], []),
        (["a": 1], ["a": 2], ["/a: expected 1, got 2"]),
        (["a": ["b": "x"]], ["a": [:]], ["/a/b: missing, expected \"x\""]),
        (["a": nil], ["b": 1], []),
        (["a": nil], ["a": 1], ["/a: expected absent, got 1"]),
        (["l": [1, 2]], ["l": [1, 2, 3]], ["/l: expected 2 items, got 3: [1,2,3]"]),
        (["l": [["n": "x"], ["n": "y"]]], ["l": [["n": "x", "v": 1], ["n": "z"]]], ["/l/1/n: expected \"y\", got \"z\""]),
        (["a/b": ["c~d": true]], ["a/b": ["c~d": false]], ["/a~1b/c~0d: expected true, got false"]),
        (["a": 1], nil, ["/: missing, expected {\"a\":1}"]),
        ([:], "text", ["/: expected {}, got \"text\""]),
    ]

    @Test func differences() {
        for c in Self.cases {
            #expect(SubsetDiff.differences(expected: c.expected, actual: c.actual) == c.diffs)
        }
    }
}
