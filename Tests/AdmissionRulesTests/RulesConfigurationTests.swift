import AdmissionAPI
import AdmissionRules
import JSON
import Testing

struct RulesConfigurationTests {
    struct ParamError: Error, CustomStringConvertible { var description: String }

    /// `annotate` takes {key, value}; `image-policy` takes nothing; `boom` throws.
    static func registry() throws -> RuleRegistry {
        var r = RuleRegistry()
        try r.register("annotate", summary: "adds an annotation") { params in
            let p = try ParameterReader(params, allowedKeys: ["key", "value"])
            var rule = AnnotateDefaulter()
            if let k = try p.string("key") { rule.key = k }
            if let v = try p.string("value") { rule.value = v }
            return rule
        }
        try r.register("image-policy") { _ in ImagePolicyValidator() }
        try r.register("boom") { _ in ThrowingRule(failurePolicy: .ignore) }
        try r.register("picky") { _ in throw ParamError(description: "picky needs a cluster") }
        return r
    }

    static func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(text) }

    @Test func defaultConfigurationIsEveryTypeInRegistrationOrder() throws {
        let reg = try Self.registry()
        #expect(reg.typeNames == ["annotate", "image-policy", "boom", "picky"])
        #expect(reg.defaultConfiguration().rules.map(\.type) == ["annotate", "image-policy", "boom", "picky"])
        var withoutPicky = RuleRegistry()
        try withoutPicky.register("annotate") { _ in AnnotateDefaulter() }
        try withoutPicky.register("image-policy") { _ in ImagePolicyValidator() }
        let set = try withoutPicky.makeRuleSet(configuration: nil)
        #expect(set.names == ["annotate", "image-policy"])
        #expect(set.entries.map(\.failurePolicy) == [.ignore, .ignore])
    }

    @Test func instancesOverrideNamePolicyAndMatch() throws {
        let json = try Self.parse(#"""
        {"rules": [
          {"type": "image-policy", "failurePolicy": "Fail",
           "match": {"operations": ["*"], "namespaces": ["prod"], "objectSelector": {"matchLabels": {"app": "web"}}}},
          {"type": "annotate", "name": "annotate-team", "parameters": {"key": "team", "value": "core"}},
          {"type": "annotate", "name": "annotate-off", "enabled": false},
          {"type": "annotate", "match": {"resources": [{"group": "apps", "resource": "deployments"}], "namespaces": null}}
        ]}
        """#)
        let set = try Self.registry().makeRuleSet(configuration: json)
        #expect(set.names == ["image-policy", "annotate-team", "annotate"])
        let first = try #require(set.entries.first)
        #expect(first.failurePolicy == .fail)
        #expect(first.match.operations == Set(AdmissionOperation.allCases))
        #expect(first.match.namespaces == ["prod"])
        #expect(first.match.objectSelector == LabelSelector(matchLabels: ["app": "web"]))
        #expect(first.match.resources == podsAll.resources)  // not overridden
        #expect((set.entries[1].rule as? AnnotateDefaulter)?.key == "team")
        #expect(set.entries[2].match.resources == [RuleMatch.Resource(group: "apps", version: "*", resource: "deployments")])
        #expect(set.entries[2].match.namespaces == nil)
    }

    @Test(arguments: [
        (#"[]"#, "must be an object, got array"),
        (#"{}"#, "rules: is required (a list of rule instances)"),
        (#"{"rules": {}}"#, "rules: must be a list, got object"),
        (#"{"rules": [], "extra": 1}"#, "extra: unknown key; expected one of rules"),
        (#"{"rules": [{"name": "x"}]}"#, "rules[0].type: is required"),
        (#"{"rules": [{"type": "nope"}]}"#, "rules[0].type: unknown rule type \"nope\" (known: annotate, image-policy, boom, picky)"),
        (#"{"rules": [{"type": "annotate", "enabeld": true}]}"#,
         "rules[0].enabeld: unknown key; expected one of enabled, failurePolicy, match, name, parameters, type"),
        (#"{"rules": [{"type": "annotate", "enabled": "yes"}]}"#, "rules[0].enabled: must be true or false, got string"),
        (#"{"rules": [{"type": "annotate", "failurePolicy": "fail"}]}"#, "rules[0].failurePolicy: must be Ignore or Fail, got \"fail\""),
        (#"{"rules": [{"type": "annotate", "name": "Bad Name"}]}"#,
         "rules[0].name: \"Bad Name\" must be lowercase letters, digits, '-' or '.', start and end alphanumeric, at most 63 characters"),
        (#"{"rules": [{"type": "annotate"}, {"type": "annotate"}]}"#,
         "rules[1]: rule name \"annotate\" is used twice; rule names must be unique"),
        (#"{"rules": [{"type": "annotate", "match": {"operations": ["CREATE", "PATCH"]}}]}"#,
         "rules[0].match.operations[1]: \"PATCH\" is not one of CREATE, UPDATE, DELETE, CONNECT, *"),
        (#"{"rules": [{"type": "annotate", "match": {"resources": [{"group": ""}]}}]}"#,
         "rules[0].match.resources[0].resource: is required"),
        (#"{"rules": [{"type": "annotate", "match": {"objectSelector": {"matchLabel": {}}}}]}"#,
         "rules[0].match.objectSelector.matchLabel: unknown key; expected one of matchExpressions, matchLabels"),
        (#"{"rules": [{"type": "annotate", "match": {"namespaceSelector": {"matchExpressions": [{"key": "a", "operator": "In"}]}}}]}"#,
         "rules[0].match.namespaceSelector: matchExpressions[0].values must be non-empty for In"),
        (#"{"rules": [{"type": "annotate", "parameters": {"key": 5}}]}"#, "rules[0].parameters.key: must be a string, got number"),
        (#"{"rules": [{"type": "annotate", "parameters": {"colour": "red"}}]}"#,
         "rules[0].parameters.colour: unknown key; expected one of key, value"),
        (#"{"rules": [{"type": "annotate", "parameters": [1]}]}"#, "rules[0].parameters: must be an object, got array"),
        (#"{"rules": [{"type": "picky"}]}"#, "rules[0].parameters: picky needs a cluster"),
    ])
    func rejectsBadConfigurationNamingTheKeyPath(_ text: String, _ message: String) throws {
        let json = try Self.parse(text)
        let error = #expect(throws: ConfigurationError.self) { try Self.registry().makeRuleSet(configuration: json) }
        #expect(error?.description == message)
    }

    @Test func registryRejectsDuplicateAndBadTypeNames() throws {
        var r = RuleRegistry()
        try r.register("a") { _ in AnnotateDefaulter() }
        #expect(throws: ConfigurationError.self) { try r.register("a") { _ in AnnotateDefaulter() } }
        #expect(throws: ConfigurationError.self) { try r.register("Has Space") { _ in AnnotateDefaulter() } }
    }

    @Test func configuredEngineRunsLikeHandBuiltOne() async throws {
        let json = try Self.parse(#"{"rules": [{"type": "annotate", "parameters": {"key": "k"}}, {"type": "boom", "failurePolicy": "Fail"}]}"#)
        let engine = AdmissionEngine(rules: try Self.registry().makeRuleSet(configuration: json))
        let r = try await run(engine, body: try Fixture.bytes("v1-pod-create-no-annotations.json"), endpoint: .mutating)
        #expect(!r.response.allowed)
        #expect(r.json["response"]?["status"]?["code"] == 500)
        #expect(r.report.rules.map(\.rule) == ["annotate", "boom"])
    }
}
