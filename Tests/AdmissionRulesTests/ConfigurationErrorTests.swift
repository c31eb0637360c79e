import AdmissionRules
import Testing

struct ConfigurationErrorTests {
    static let cases: [(ConfigurationError, String)] = [
        (ConfigurationError(path: "", "bad"), "bad"),
        (ConfigurationError(path: "rules[0].type", "is required"), "rules[0].type: is required"),
        (ConfigurationError(path: "labels[1]", "x").under("rules[2].parameters"), "rules[2].parameters.labels[1]: x"),
        (ConfigurationError(path: "[3]", "x").under("rules"), "rules[3]: x"),
        (ConfigurationError(path: "", "x").under("rules[0].parameters"), "rules[0].parameters: x"),
        (ConfigurationError(path: "rules", "x").located(file: "r.yaml", line: 4, column: 2), "r.yaml:4:2: rules: x"),
        (ConfigurationError(path: "rules", "x").located(file: "r.yaml", line: 4), "r.yaml:4: rules: x"),
        (ConfigurationError(path: "rules", "x").located(file: "r.yaml", line: nil), "r.yaml: rules: x"),
        (ConfigurationError(path: "rules", "x").located(file: nil, line: 7), "line 7: rules: x"),
        // Placing then nesting keeps the place.
        (ConfigurationError(path: "a", "x").located(file: "f", line: 1, column: 1).under("p"), "f:1:1: p.a: x"),
    ]

    @Test func descriptions() {
        for (error, text) in Self.cases { #expect(error.description == text) }
    }
}
