import Foundation
import JSON
import KubeClient
import Testing

/// Raw responses from the server (the API server is trusted, a proxy or a bug in between is
/// not): legal framings are read right, broken ones are clear transport errors, nothing traps.
@Suite(.serialized) struct HTTPFramingTests {
    enum Want: Sendable {
        case body(Int, String)
        case error(String)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var raw: String
        var want: Want
        var maxBody = 1 << 20
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "chunked with extension and trailer",
             raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-T: 1\r\n\r\n",
             want: .body(200, "abcde")),
        Case(name: "bare LF line ends", raw: "HTTP/1.1 200 OK\nContent-Length: 2\n\nok", want: .body(200, "ok")),
        Case(name: "interim 100 skipped",
             raw: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 1\r\n\r\nx", want: .body(201, "x")),
        Case(name: "body until close", raw: "HTTP/1.1 200 OK\r\n\r\nhello", want: .body(200, "hello")),
        Case(name: "HTTP/1.0", raw: "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n", want: .body(404, "")),
        Case(name: "204 has no body", raw: "HTTP/1.1 204 No Content\r\n\r\n", want: .body(204, "")),
        Case(name: "not HTTP", raw: "HTTX/1.1 200 OK\r\n\r\n", want: .error("malformed HTTP status line")),
        Case(name: "status not a number", raw: "HTTP/1.1 2x0 OK\r\n\r\n", want: .error("malformed HTTP status line")),
        Case(name: "status out of range", raw: "HTTP/1.1 99 X\r\n\r\n", want: .error("malformed HTTP status line")),
        Case(name: "negative content-length", raw: "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n", want: .error("bad content-length")),
        Case(name: "huge content-length", raw: "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n",
             want: .error("bad content-length")),
        Case(name: "short body", raw: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", want: .error("closed by the server mid-response")),
        Case(name: "bad chunk size", raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", want: .error("malformed chunk size")),
        Case(name: "chunk size overflow", raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffffffff\r\n",
             want: .error("malformed chunk size")),
        Case(name: "chunk without CRLF", raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXY\r\n0\r\n\r\n",
             want: .error("chunk not followed by CRLF")),
        Case(name: "truncated chunked", raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", want: .error("closed by the server")),
        Case(name: "header without colon", raw: "HTTP/1.1 200 OK\r\nbroken header\r\n\r\n", want: .error("malformed HTTP header line")),
        Case(name: "unsupported transfer-encoding", raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
             want: .error("unsupported transfer-encoding")),
        Case(name: "nothing at all", raw: "", want: .error("closed by the server")),
        Case(name: "endless header line", raw: "HTTP/1.1 200 OK\r\nX: " + String(repeating: "a", count: 70000) + "\r\n\r\n",
             want: .error("larger than 64 KiB")),
        Case(name: "body over the limit", raw: "HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n01234567890123456789",
             want: .error("larger than 10 bytes"), maxBody: 10),
        Case(name: "chunked body over the limit",
             raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n01234567\r\n8\r\n01234567\r\n0\r\n\r\n",
             want: .error("larger than 10 bytes"), maxBody: 10),
    ]

    /// One server for every case (each case uses its own path); it exits with the test process.
    static let shared = Task { try await FakeAPIServer() }

    @Test(arguments: cases)
    func framing(_ c: Case) async throws {
        let server = try await Self.shared.value
        let path = "/raw/" + c.name.replacingOccurrences(of: " ", with: "-")
        try await server.post("/_fake/raw", ["path": .string(path), "data": .string(Data(c.raw.utf8).base64EncodedString())])
        var config = server.configuration()
        config.maxBodyBytes = c.maxBody
        let client = try KubeHTTPClient(configuration: config, logger: quietLogger)
        switch c.want {
        case .body(let status, let body):
            let r = try await client.send(KubeRequest(path: path))
            #expect(r.status == status)
            #expect(String(decoding: r.body, as: UTF8.self) == body)
        case .error(let text):
            do {
                let r = try await client.send(KubeRequest(path: path))
                Issue.record("expected an error with \(text), got \(r.status)")
            } catch let error as KubeError {
                guard case .transport(let message) = error else { Issue.record("\(error)"); return }
                #expect(message.contains(text), "\(message)")
            }
        }
        // The client is still usable afterwards (a fresh connection replaces the broken one).
        if c.maxBody > 4096 {
            #expect(try await client.send(KubeRequest(path: "/api/v1/namespaces")).status == 200)
        }
    }

    @Test func malformedWatchLineResumes() async throws {
        let server = try await FakeAPIServer()
        let garbage = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n9\r\nnot json\n\r\n"
        try await server.post("/_fake/raw", ["path": "/api/v1/limitranges", "watch": true,
                                             "data": .string(Data(garbage.utf8).base64EncodedString())])
        let recorder = EventRecorder()
        let state = try await LiveClusterStateTests.started(server, recorder: recorder)
        #expect(await eventually { (recorder.restarts["LimitRange"] ?? 0) >= 1 })
        try await server.event("ADDED", "limitrange", limitRange("after-garbage"))
        #expect(await eventually { try await state.limitRanges(namespace: "default").count == 2 })
        await state.stop()
    }

    /// Random byte mutations and truncations of the legal responses: every outcome is an answer
    /// or a `KubeError`, never a trap (a trap would kill the test process).
    @Test func mutatedResponsesNeverTrap() async throws {
        let server = try await Self.shared.value
        let client = try KubeHTTPClient(configuration: server.configuration(), logger: quietLogger)
        var rng = SplitMix64(seed: 0x6b756265)
        let seeds = Self.cases.compactMap { c -> [UInt8]? in
            if case .body = c.want { return Array(c.raw.utf8) }
            return nil
        }
        var answered = 0
        var refused = 0
        for round in 0..<120 {
            var bytes = seeds[Int(rng.next() % UInt64(seeds.count))]
            for _ in 0..<(1 + Int(rng.next() % 4)) where !bytes.isEmpty {
                let at = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 4 {
                case 0: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                case 1: bytes.remove(at: at)
                case 2: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)
                default: bytes = Array(bytes[..<at])
                }
            }
            let path = "/fuzz/\(round)"
            try await server.post("/_fake/raw", ["path": .string(path), "data": .string(Data(bytes).base64EncodedString())])
            do {
                _ = try await client.send(KubeRequest(path: path))
                answered += 1
            } catch is KubeError {
                refused += 1
            }
        }
        #expect(answered + refused == 120)
        #expect(refused > 0, "mutations must produce some broken framings")
    }
}

/// Deterministic PRNG for reproducible fuzz rounds.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
