import Foundation
import JSON

/// One pod-defaulting case: `Fixtures/pods/cases/<name>.json`.
///
///     { "description": "...", "include": ["common/hamster.json"], "state": [objects...],
///       "namespace": "default", "synced": true, "pod": {...},
///       "expect": { "patch": [...] | null, "warning": "substring" | absent,
///                   "containers": [resources of spec.containers after the patch],
///                   "initContainers": [...], "annotations": {...} } }
struct PodCase: CustomStringConvertible, Sendable {
    var name: String
    var json: JSONValue

    var description: String { name }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/pods")

    static func read(_ relative: String) throws -> JSONValue {
        try JSONParser.parse([UInt8](try Data(contentsOf: directory.appendingPathComponent(relative))))
    }

    static func all() throws -> [PodCase] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("cases").path)
            .filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { PodCase(name: String($0.dropLast(5)), json: try read("cases/\($0)")) }
    }

    /// Objects of the included files (single objects, arrays or `List`s) and of `state`.
    func objects() throws -> [JSONValue] {
        var out: [JSONValue] = []
        for inc in json["include"]?.arrayValue ?? [] {
            out += Self.flatten(try Self.read(inc.stringValue ?? ""))
        }
        for o in json["state"]?.arrayValue ?? [] { out += Self.flatten(o) }
        return out
    }

    static func flatten(_ v: JSONValue) -> [JSONValue] {
        if let a = v.arrayValue { return a.flatMap(flatten) }
        if let kind = v["kind"]?.stringValue, kind.hasSuffix("List") { return (v["items"]?.arrayValue ?? []).flatMap(flatten) }
        return [v]
    }

    var namespace: String { json["namespace"]?.stringValue ?? "default" }
    var synced: Bool { json["synced"]?.boolValue ?? true }
    var pod: JSONValue { json["pod"] ?? .null }
    var expect: JSONValue { json["expect"] ?? .null }
}
