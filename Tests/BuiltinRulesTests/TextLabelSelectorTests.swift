@testable import BuiltinRules
import Testing

@Suite struct TextLabelSelectorTests {
    struct Case: Sendable, CustomStringConvertible {
        var selector: String
        var labels: [String: String]
        var matches: Bool
        var description: String { "\(selector) ~ \(labels)" }
    }

    @Test(arguments: [
        Case(selector: "", labels: [:], matches: true),
        Case(selector: "app=web", labels: ["app": "web"], matches: true),
        Case(selector: "app==web", labels: ["app": "web"], matches: true),
        Case(selector: "app=web", labels: ["app": "db"], matches: false),
        Case(selector: "app!=web", labels: [:], matches: true),
        Case(selector: "app!=web", labels: ["app": "web"], matches: false),
        Case(selector: "app=web, tier in (a, b)", labels: ["app": "web", "tier": "b"], matches: true),
        Case(selector: "app=web,tier in (a,b)", labels: ["app": "web", "tier": "c"], matches: false),
        Case(selector: "tier notin (a,b)", labels: [:], matches: true),
        Case(selector: "tier notin (a,b)", labels: ["tier": "a"], matches: false),
        Case(selector: "canary", labels: ["canary": ""], matches: true),
        Case(selector: "canary", labels: [:], matches: false),
        Case(selector: "!canary", labels: [:], matches: true),
        Case(selector: "!canary", labels: ["canary": "x"], matches: false),
        Case(selector: "gen>3", labels: ["gen": "4"], matches: true),
        Case(selector: "gen<3", labels: ["gen": "4"], matches: false),
        Case(selector: "gen>3", labels: ["gen": "x"], matches: false),
        Case(selector: "example.com/app=x,app.kubernetes.io/name in (ro)", labels: ["example.com/app": "x", "app.kubernetes.io/name": "ro"], matches: true),
    ])
    func matching(_ c: Case) throws {
        #expect(try TextLabelSelector(parsing: c.selector).matches(c.labels) == c.matches)
    }

    @Test(arguments: ["app in (a", "=x", "gen>abc", "a,,b", "x y=z", "k in (a b)", "k between (a)"])
    func rejected(_ text: String) {
        #expect(throws: TextLabelSelector.ParseError.self) { try TextLabelSelector(parsing: text) }
    }
}
