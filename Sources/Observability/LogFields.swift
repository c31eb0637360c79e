import Logging

/// The merged, flattened key/value pairs of one event, shared by both formats.
enum LogFields {
    /// A flattened value: scalar text, or (JSON only) an array kept as a list.
    enum Value {
        case text(String)
        case list([Logger.Metadata.Value])
    }

    /// Handler metadata, then the provider's, then the event's (later wins); nested dictionaries
    /// become dotted keys; sorted by key so output is deterministic.
    static func collect(handler: Logger.Metadata, provider: Logger.MetadataProvider?,
                        event: Logger.Metadata?, error: (any Error)?) -> [(key: String, value: Value)] {
        var merged = handler
        if let provided = provider?.get() { merged.merge(provided) { _, new in new } }
        if let event { merged.merge(event) { _, new in new } }
        if let error, merged["error"] == nil { merged["error"] = .string(String(describing: error)) }
        var out: [(key: String, value: Value)] = []
        flatten(merged, prefix: "", into: &out)
        out.sort { $0.key < $1.key }
        return out
    }

    private static func flatten(_ metadata: Logger.Metadata, prefix: String, into out: inout [(key: String, value: Value)]) {
        for (key, value) in metadata {
            let full = prefix.isEmpty ? key : prefix + "." + key
            switch value {
            case .string(let s): out.append((full, .text(s)))
            case .stringConvertible(let c): out.append((full, .text(c.description)))
            case .dictionary(let d): flatten(d, prefix: full, into: &out)
            case .array(let a): out.append((full, .list(a)))
            }
        }
    }

    /// Text of a metadata value for formats without structure: `[a,b]`, `{k=v}`.
    static func plain(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let s): return s
        case .stringConvertible(let c): return c.description
        case .array(let a): return "[" + a.map(plain).joined(separator: ",") + "]"
        case .dictionary(let d):
            return "{" + d.sorted { $0.key < $1.key }.map { "\($0.key)=\(plain($0.value))" }.joined(separator: ",") + "}"
        }
    }
}
