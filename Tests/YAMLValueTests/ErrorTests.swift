import Testing
@testable import YAMLValue

/// Every error carries where it happened: line, column and, past parsing, the key path.
struct ErrorTests {
    struct Row: CustomStringConvertible, Sendable {
        var name: String
        var yaml: String
        var line: Int
        var column: Int?
        var path: String
        var messageContains: String
        var description: String { name }
    }

    static let rows: [Row] = [
        Row(name: "bad indentation", yaml: "a:\n  b: 1\n c: 2\n", line: 3, column: 2, path: "", messageContains: "invalid YAML"),
        Row(name: "unclosed flow", yaml: "a: [1, 2\nb: 3\n", line: 3, column: 1, path: "", messageContains: "invalid YAML"),
        Row(name: "tab indentation", yaml: "a:\n\tb: 1\n", line: 2, column: 1, path: "", messageContains: "invalid YAML"),
        Row(name: "duplicate key", yaml: "spec:\n  a: 1\n  a: 2\n", line: 2, column: 3, path: "", messageContains: "duplicate key \"a\""),
        Row(name: "infinity", yaml: "spec:\n  items:\n    - v: .inf\n", line: 3, column: 8, path: "spec.items[0].v", messageContains: "JSON"),
        Row(name: "complex key", yaml: "spec:\n  ? [a, b]\n  : 1\n", line: 2, column: 5, path: "spec", messageContains: "keys must be scalars"),
        Row(name: "bad !!int", yaml: "x:\n  y: !!int abc\n", line: 2, column: 6, path: "x.y", messageContains: "!!int"),
        Row(name: "undefined alias", yaml: "a: *nope\n", line: 1, column: 4, path: "", messageContains: "undefined alias"),
        Row(name: "bad merge", yaml: "a:\n  <<: 5\n", line: 2, column: 7, path: "a", messageContains: "merge"),
    ]

    @Test(arguments: rows)
    func reportsPosition(_ row: Row) {
        do {
            _ = try YAMLValue.parseDocuments(row.yaml)
            Issue.record("expected an error")
        } catch {
            #expect(error.line == row.line, "\(error)")
            if let column = row.column { #expect(error.column == column, "\(error)") }
            #expect(error.path == row.path, "\(error)")
            #expect(error.message.contains(row.messageContains), "\(error)")
            #expect(error.description.contains("line \(row.line)"))
        }
    }
}
