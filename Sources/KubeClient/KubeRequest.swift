/// One API request: method, path with its query (already percent-encoded), optional JSON body.
public struct KubeRequest: Sendable, Equatable {
    public var method: String
    public var path: String
    public var body: [UInt8]?
    public var contentType: String

    public init(method: String = "GET", path: String, body: [UInt8]? = nil,
                contentType: String = "application/json") {
        self.method = method
        self.path = path
        self.body = body
        self.contentType = contentType
    }
}

/// A complete (non-streamed) answer.
public struct KubeResponse: Sendable, Equatable {
    public var status: Int
    /// Header names lower-cased, in arrival order.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name == lower }?.value
    }

    public var isSuccess: Bool { (200..<300).contains(status) }

    public static func == (lhs: KubeResponse, rhs: KubeResponse) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body
            && lhs.headers.map(\.name) == rhs.headers.map(\.name) && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }
}

/// Percent-encoding for query values and path segments (RFC 3986 unreserved kept).
enum URLEncoding {
    static func component(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(b >> 4)], hex[Int(b & 15)]], as: UTF8.self)
            }
        }
        return out
    }

    static func query(_ items: [(String, String)]) -> String {
        items.isEmpty ? "" : "?" + items.map { "\(component($0.0))=\(component($0.1))" }.joined(separator: "&")
    }
}
