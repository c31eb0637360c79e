import JSON
import JSONPatch

/// A JSON text `{"doc": D, "patch": P}` (the json-patch test-suite shape; anything else is
/// taken as a patch against a small pod). Decode and apply must not trap; an applied patch
/// must survive encode/decode unchanged and give the same result again; the diff from the
/// document to the result must turn one into the other.
enum JSONPatchFuzz {
    static let pod: JSONValue = [
        "apiVersion": "v1", "kind": "Pod",
        "metadata": ["name": "p", "labels": ["app": "a"], "annotations": [:]],
        "spec": ["containers": [["name": "c", "image": "i", "resources": ["requests": ["cpu": "1"]]]]],
    ]

    static func run(_ data: [UInt8]) -> [String] {
        guard let input = try? JSONParser.parse(data, maxDepth: 64) else { return [] }
        let document: JSONValue
        let patchValue: JSONValue
        if let d = input["doc"], let p = input["patch"] {
            document = d; patchValue = p
        } else {
            document = pod; patchValue = input
        }
        let ops: [PatchOperation]
        do { ops = try JSONPatch.decode(patchValue) } catch { return [] }
        var problems: [String] = []
        let encoded = JSONPatch.encode(ops)
        do {
            let reread = try JSONPatch.decode(try JSONParser.parse(encoded))
            if reread != ops { problems.append("encode/decode changed the patch: \(String(decoding: encoded, as: UTF8.self))") }
        } catch {
            problems.append("encoded patch does not decode: \(error)")
        }
        let result: JSONValue
        do { result = try JSONPatch.apply(ops, to: document) } catch {
            if error.message.isEmpty || error.message.contains("\n") { problems.append("bad error message: \(error)") }
            if let i = error.operationIndex, i < 0 || i >= ops.count { problems.append("error index \(i) of \(ops.count)") }
            return problems
        }
        if let again = try? JSONPatch.apply(ops, to: document), again != result {
            problems.append("applying twice gave different results")
        } else if (try? JSONPatch.apply(ops, to: document)) == nil {
            problems.append("second application failed")
        }
        let diff = JSONPatch.diff(from: document, to: result)
        do {
            let rebuilt = try JSONPatch.apply(diff, to: document)
            if rebuilt != result { problems.append("diff does not rebuild the result") }
        } catch {
            problems.append("diff does not apply: \(error)")
        }
        return problems
    }
}
