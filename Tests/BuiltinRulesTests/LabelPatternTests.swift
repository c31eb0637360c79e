import BuiltinRules
import Testing

struct LabelPatternTests {
    static let matching: [(String, String, Bool)] = [
        ("abc", "abc", true), ("abc", "abcd", false), ("abc", "xabc", false),
        ("^abc$", "abc", true), ("a.c", "a-c", true), ("a.c", "ac", false),
        ("[a-z][a-z0-9-]*", "web-1", true), ("[a-z][a-z0-9-]*", "1web", false),
        ("[0-9]{4}", "1234", true), ("[0-9]{4}", "123", false), ("[0-9]{4}", "12345", false),
        ("[0-9]{2,3}", "12", true), ("[0-9]{2,3}", "123", true), ("[0-9]{2,3}", "1234", false),
        ("x{2,}", "xx", true), ("x{2,}", "xxxxx", true), ("x{2,}", "x", false),
        ("prod|staging|dev", "staging", true), ("prod|staging|dev", "prodstaging", false),
        ("(ab)+", "ababab", true), ("(?:ab)+", "aba", false), ("a?b", "b", true), ("a?b", "aab", false),
        ("\\d+\\.\\d+", "1.25", true), ("\\d+\\.\\d+", "1x25", false), ("\\w+", "a_B9", true), ("\\S+", "a b", false),
        ("[^/]+", "a/b", false), ("[^/]+", "ab", true), ("[]a]+", "]a]", true), ("[a-]+", "a-a", true),
        ("", "", true), ("", "a", false), ("a*", "", true), ("(a|)+b", "aab", true),
        ("é+", "éé", true), ("team-[a-z]+", "team-core", true),
        // Classic catastrophic-backtracking shape runs in linear time here.
        ("(a+)+b", String(repeating: "a", count: 5000), false),
        ("(a|aa)*c", String(repeating: "a", count: 5000) + "c", true),
    ]

    @Test func matches() throws {
        for (pattern, input, expected) in Self.matching {
            let p = try LabelPattern(pattern)
            #expect(p.matches(input) == expected, "\(pattern) on \(input.prefix(20))")
        }
    }

    static let invalid: [(String, String)] = [
        ("[a-", "missing ]"), ("(ab", "missing )"), ("ab)", "unexpected"), ("*a", "without anything"),
        ("a{3,1}", "max below min"), ("a{", "expected a number"), ("a{2", "missing }"), ("\\", "ends with"),
        ("\\q", "unsupported escape"), ("[z-a]", "out of order"), ("a^b", "anchor"), ("a$b", "anchor"),
        ("(?=a)", "unsupported group"), ("a{1000}", "above 255"), ("(a{255}){255}", "too large"),
    ]

    @Test func rejects() {
        for (pattern, message) in Self.invalid {
            do {
                _ = try LabelPattern(pattern)
                Issue.record("\(pattern) accepted")
            } catch {
                #expect(error.message.contains(message), "\(pattern): \(error.message)")
            }
        }
    }
}
