import AdmissionAPI
import AdmissionRules
import JSON
import Testing

/// Registry features for rules beyond MPA: camelCase type names, types left out of the
/// default configuration, and "must run before" ordering checked at start-up.
struct RuleRegistryOrderTests {
    static func registry() throws -> RuleRegistry {
        var r = RuleRegistry()
        try r.register("defaultResources", enabledByDefault: false, runsBefore: ["mpaPodResources"]) { _ in
            AnnotateDefaulter(name: "defaultResources", key: "d")
        }
        try r.register("mpaPodResources") { _ in AnnotateDefaulter(name: "mpaPodResources", key: "m") }
        return r
    }

    @Test func typeNames() throws {
        var r = RuleRegistry()
        for good in ["requiredLabels", "mpa-pod-defaults", "a", "podSecurity.v2"] {
            try r.register(good) { _ in AnnotateDefaulter() }
        }
        for bad in ["", "1abc", "-x", "x-", "has space", "ünï", String(repeating: "a", count: 64)] {
            #expect(throws: ConfigurationError.self, "\(bad)") { try r.register(bad) { _ in AnnotateDefaulter() } }
        }
    }

    @Test func defaultConfigurationLeavesOutOptInTypes() throws {
        let set = try Self.registry().makeRuleSet(configuration: nil)
        #expect(set.names == ["mpaPodResources"])
    }

    static let orderCases: [(String, String?)] = [
        (#"{"rules": [{"type": "defaultResources"}, {"type": "mpaPodResources"}]}"#, nil),
        (#"{"rules": [{"type": "mpaPodResources"}, {"type": "defaultResources"}]}"#,
         "rules[1]: defaultResources must be listed before mpaPodResources (rules[0])"),
        (#"{"rules": [{"type": "mpaPodResources", "enabled": false}, {"type": "defaultResources"}]}"#, nil),
        (#"{"rules": [{"type": "defaultResources", "name": "d1"}, {"type": "mpaPodResources"}, {"type": "defaultResources", "name": "d2"}]}"#,
         "rules[2]: defaultResources must be listed before mpaPodResources (rules[1])"),
    ]

    @Test func ordering() throws {
        let r = try Self.registry()
        for (text, expected) in Self.orderCases {
            do {
                let set = try r.makeRuleSet(configuration: try JSONParser.parse(text))
                #expect(expected == nil, "\(text) accepted: \(set.names)")
            } catch {
                #expect(String(describing: error).hasPrefix(expected ?? "<none>"), "\(text): \(error)")
            }
        }
    }
}
