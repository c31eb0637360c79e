import JSON
import Testing
@testable import YAMLValue

/// Plain-scalar resolution as sigs.k8s.io/yaml (go-yaml v2) does it, one row per case.
struct ScalarResolutionTests {
    struct Row: CustomStringConvertible, Sendable {
        var yaml: String
        var json: String
        var description: String { yaml }
    }

    static let rows: [Row] = [
        Row(yaml: "v: 1", json: #"{"v":1}"#),
        Row(yaml: "v: -42", json: #"{"v":-42}"#),
        Row(yaml: "v: +7", json: #"{"v":7}"#),
        Row(yaml: "v: 0x1F", json: #"{"v":31}"#),
        Row(yaml: "v: 0o17", json: #"{"v":15}"#),
        Row(yaml: "v: 017", json: #"{"v":15}"#),
        Row(yaml: "v: 0b101", json: #"{"v":5}"#),
        Row(yaml: "v: 1_000_000", json: #"{"v":1000000}"#),
        Row(yaml: "v: 9223372036854775807", json: #"{"v":9223372036854775807}"#),
        Row(yaml: "v: -9223372036854775808", json: #"{"v":-9223372036854775808}"#),
        Row(yaml: "v: 18446744073709551615", json: #"{"v":18446744073709551615}"#),
        Row(yaml: "v: 12345678901234567890123", json: #"{"v":12345678901234567890123}"#),
        Row(yaml: "v: 08", json: #"{"v":8}"#),
        Row(yaml: "v: 1.5", json: #"{"v":1.5}"#),
        Row(yaml: "v: 1.0", json: #"{"v":1}"#),
        Row(yaml: "v: 1e3", json: #"{"v":1000}"#),
        Row(yaml: "v: .5", json: #"{"v":0.5}"#),
        Row(yaml: "v: -.5", json: #"{"v":-0.5}"#),
        Row(yaml: "v: 5.", json: #"{"v":5}"#),
        Row(yaml: "v: 0.000001", json: #"{"v":0.000001}"#),
        Row(yaml: "v: 1e-7", json: #"{"v":1e-7}"#),
        Row(yaml: "v: 1.5e22", json: #"{"v":1.5e22}"#),
        Row(yaml: "v: 0.1", json: #"{"v":0.1}"#),
        Row(yaml: "v: yes", json: #"{"v":true}"#),
        Row(yaml: "v: On", json: #"{"v":true}"#),
        Row(yaml: "v: Y", json: #"{"v":true}"#),
        Row(yaml: "v: NO", json: #"{"v":false}"#),
        Row(yaml: "v: off", json: #"{"v":false}"#),
        Row(yaml: "v: False", json: #"{"v":false}"#),
        Row(yaml: "v: tRUE", json: #"{"v":"tRUE"}"#),
        Row(yaml: "v: ~", json: #"{"v":null}"#),
        Row(yaml: "v:", json: #"{"v":null}"#),
        Row(yaml: "v: Null", json: #"{"v":null}"#),
        Row(yaml: "v: '1'", json: #"{"v":"1"}"#),
        Row(yaml: "v: \"yes\"", json: #"{"v":"yes"}"#),
        Row(yaml: "v: !!str 12", json: #"{"v":"12"}"#),
        Row(yaml: "v: !!int \"12\"", json: #"{"v":12}"#),
        Row(yaml: "v: !!float 2", json: #"{"v":2}"#),
        Row(yaml: "v: 100m", json: #"{"v":"100m"}"#),
        Row(yaml: "v: 128Mi", json: #"{"v":"128Mi"}"#),
        Row(yaml: "v: 1e3x", json: #"{"v":"1e3x"}"#),
        Row(yaml: "v: 2026-11-01T10:00:00Z", json: #"{"v":"2026-11-01T10:00:00Z"}"#),
        Row(yaml: "v: 2026-11-01", json: #"{"v":"2026-11-01"}"#),
        Row(yaml: "v: 1:30", json: #"{"v":"1:30"}"#),
        Row(yaml: "v: -", json: #"{"v":"-"}"#),
        Row(yaml: "v: .", json: #"{"v":"."}"#),
        Row(yaml: "v: 0x", json: #"{"v":"0x"}"#),
        Row(yaml: "v: |\n  a\n  b\n", json: #"{"v":"a\nb\n"}"#),
        Row(yaml: "1: a\ntrue: b\nnull: c\n1.50: d", json: #"{"1":"a","true":"b","null":"c","1.5":"d"}"#),
    ]

    @Test(arguments: rows)
    func resolves(_ row: Row) throws {
        let value = try YAMLValue.parse(row.yaml)
        let expected = try JSONParser.parse(Array(row.json.utf8))
        #expect(value == expected)
        #expect(JSONWriter.bytes(value) == Array(row.json.utf8), "number text and key order")
    }
}
