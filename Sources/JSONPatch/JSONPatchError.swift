/// Why a patch could not be decoded or applied, and which operation (0-based index) failed.
public struct JSONPatchError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The patch document is not a well-formed RFC 6902 patch (decode).
        case invalidOperation
        /// A `path` or `from` location (or its parent) does not exist.
        case pathNotFound
        /// An array index token is malformed (`01`, `1e0`, `-` where an element is needed) or out of range.
        case invalidIndex
        /// A location runs through or targets a value that is not a container.
        case notAContainer
        /// `move` into a child of its own source, or removing the whole document.
        case invalidTarget
        /// A `test` operation found a different value.
        case testFailed
    }

    public var kind: Kind
    /// Index of the failing operation in the patch; `nil` when the patch as a whole is malformed.
    public var operationIndex: Int?
    public var message: String

    public init(kind: Kind, operationIndex: Int?, message: String) {
        self.kind = kind
        self.operationIndex = operationIndex
        self.message = message
    }

    public var description: String {
        if let i = operationIndex { return "JSON patch operation \(i): \(message)" }
        return "JSON patch: \(message)"
    }
}
