import WebhookHTTP
import WebhookTLS

/// An HTTP/2 stream whose handler is running.
struct HTTP2Stream {
    let deadline: Int64
    let timeoutSeconds: Int64
    let path: String
    let task: Task<Void, Never>
}

extension Connection {
    func http2Start() {
        http2Flush()
    }

    func http2Received(_ bytes: UnsafeRawBufferPointer) {
        guard let session else { return }
        let now = monotonicNow()
        events: for event in session.receive(bytes) {
            switch event {
            case let .request(streamID, method, fullPath, authority, headerList, body):
                var path = fullPath
                var query = ""
                if let q = fullPath.firstIndex(of: "?") {
                    path = String(fullPath[..<q])
                    query = String(fullPath[fullPath.index(after: q)...])
                }
                var headers = HTTPHeaders(headerList)
                if !authority.isEmpty && !headers.contains("host") { headers.add(name: "host", value: authority) }
                // Open streams are capped by SETTINGS; more running handlers means the peer resets
                // answered-to-be streams to pile up work (rapid reset): drop the connection.
                if streams.count >= 2 * core.configuration.limits.maxConcurrentStreams {
                    core.logger.warning("HTTP/2 client exceeded in-flight request limit; closing")
                    session.goAway()
                    closeAfterFlush = true
                    break events
                }
                let request = HTTPRequest(method: method, path: path, query: query, headers: headers, body: body)
                let deadline = core.requestDeadline(request, now: now)
                let task = spawnHandler(request, token: Int64(streamID))
                streams[streamID] = HTTP2Stream(deadline: deadline, timeoutSeconds: (deadline &- now) / 1_000_000_000,
                                                path: path, task: task)
            case let .streamError(streamID, status, message):
                http2Submit(streamID: streamID, response: .text(status, message))
            case let .connectionError(message):
                core.logger.debug("HTTP/2 connection error", metadata: ["error": "\(message)"])
                closeAfterFlush = true
            }
        }
        http2Flush()
    }

    private func http2Submit(streamID: Int32, response: HTTPResponse) {
        // The session lowercases names, drops connection-specific fields and sets content-length.
        session?.submitResponse(streamID: streamID, status: response.status, headers: response.headers.fields,
                                body: response.body)
    }

    /// Moves the session's frames into the output and pushes them into TLS.
    func http2Flush() {
        guard let session else { return }
        session.drainOutput(into: &out)
        if !session.isAlive || (streams.isEmpty && (draining || readClosed)) { closeAfterFlush = true }
        flush()
    }

    /// Queues a handler's answer in the session; `finishDeliveries()` sends it.
    func http2Deliver(streamID: Int32, response: HTTPResponse) {
        guard streams.removeValue(forKey: streamID) != nil else { return }
        http2Submit(streamID: streamID, response: response)
    }

    func http2Tick(now: Int64) {
        var late: [Int32] = []
        for (id, s) in streams where now >= s.deadline { late.append(id) }
        // Requests still arriving after the request-header timeout (a trickled body, say) get
        // 408 as on HTTP/1.1; the session then resets the stream so the peer stops sending.
        let slow = session?.abandonRequests(olderThan: .nanoseconds(core.headerTimeout)) ?? []
        guard !late.isEmpty || !slow.isEmpty else { return }
        for id in late {
            guard let s = streams.removeValue(forKey: id) else { continue }
            s.task.cancel()
            core.events.requestTimedOut(path: s.path)
            http2Submit(streamID: id, response: Self.timeoutResponse(s.timeoutSeconds))
        }
        for id in slow {
            http2Submit(streamID: id, response: .text(408, "request not received in time"))
        }
        http2Flush()
    }

    func http2Drain() {
        session?.goAway()
        http2Flush()
    }
}
