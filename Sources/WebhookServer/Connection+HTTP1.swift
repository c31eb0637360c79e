import WebhookHTTP

/// One HTTP/1.1 response position: responses leave strictly in request order.
struct HTTP1Slot {
    let seq: Int64
    /// Serialized response, nil while the handler runs.
    var bytes: [UInt8]?
    var keepAlive: Bool
    var closeAfter: Bool
    var deadline: Int64?
    var timeoutSeconds: Int64 = 0
    var path = ""
    var task: Task<Void, Never>?
}

extension Connection {
    static let continueBytes: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    func http1Received(_ bytes: UnsafeRawBufferPointer) {
        parser?.append(bytes)
        http1Pump()
    }

    /// Parses what the window allows and writes every response that is ready at the head.
    func http1Pump() {
        var progress = true
        while progress, phase == .http1 {
            progress = http1Parse() + http1FlushSlots() > 0
        }
        flush()
    }

    private func http1Parse() -> Int {
        guard var p = parser else { return 0 }
        parser = nil  // avoid a copy-on-write of the parser's buffer while it is mutated
        var produced = 0
        let now = monotonicNow()
        while !stopParsing, slots.count < core.configuration.limits.maxPipelinedRequests, let event = p.next() {
            produced += 1
            switch event {
            case let .request(request, keepAlive):
                headerDeadline = nil
                let seq = nextSeq
                nextSeq &+= 1
                let deadline = core.requestDeadline(request, now: now)
                let keep = keepAlive && !draining
                var slot = HTTP1Slot(seq: seq, bytes: nil, keepAlive: keep, closeAfter: !keep,
                                     deadline: deadline, timeoutSeconds: (deadline &- now) / 1_000_000_000,
                                     path: request.path)
                if !keep { stopParsing = true }
                slot.task = spawnHandler(request, token: seq)
                slots.append(slot)
            case .sendContinue:
                slots.append(HTTP1Slot(seq: -1, bytes: Self.continueBytes, keepAlive: true, closeAfter: false))
            case let .error(status, message):
                var bytes: [UInt8] = []
                HTTP1Serializer.write(.text(status, message), keepAlive: false, into: &bytes)
                slots.append(HTTP1Slot(seq: -1, bytes: bytes, keepAlive: false, closeAfter: true))
                stopParsing = true
            }
        }
        if p.hasPartialRequest {
            if headerDeadline == nil { headerDeadline = now &+ core.headerTimeout }
        } else {
            headerDeadline = nil
        }
        parser = p
        return produced
    }

    /// Moves finished responses at the head of the queue into the output buffer.
    private func http1FlushSlots() -> Int {
        var moved = 0
        while let head = slots.first, let bytes = head.bytes {
            send(bytes)
            slots.removeFirst()
            moved += 1
            if head.closeAfter {
                closeAfterFlush = true
                for s in slots { s.task?.cancel() }
                slots = []
                stopParsing = true
                break
            }
        }
        if slots.isEmpty && (readClosed || (draining && !(parser?.hasPartialRequest ?? false))) {
            closeAfterFlush = true
        }
        return moved
    }

    func http1Deliver(seq: Int64, response: HTTPResponse) {
        guard let i = slots.firstIndex(where: { $0.seq == seq }), slots[i].bytes == nil else { return }
        var bytes: [UInt8] = []
        HTTP1Serializer.write(response, keepAlive: slots[i].keepAlive, into: &bytes)
        slots[i].bytes = bytes
        slots[i].task = nil
        http1Pump()
    }

    func http1Tick(now: Int64) {
        var answered = false
        for i in slots.indices where slots[i].bytes == nil {
            if let d = slots[i].deadline, now >= d {
                slots[i].task?.cancel()
                slots[i].task = nil
                var bytes: [UInt8] = []
                HTTP1Serializer.write(Self.timeoutResponse(slots[i].timeoutSeconds),
                                      keepAlive: slots[i].keepAlive, into: &bytes)
                slots[i].bytes = bytes
                core.events.requestTimedOut(path: slots[i].path)
                answered = true
            }
        }
        if answered { http1Pump() }
        if phase == .http1, let d = headerDeadline, now >= d {
            headerDeadline = nil
            if slots.isEmpty {
                var bytes: [UInt8] = []
                HTTP1Serializer.write(.text(408, "request not received in time"), keepAlive: false, into: &bytes)
                send(bytes)
                stopParsing = true
                closeAfterFlush = true
                flush()
            } else {
                close()
            }
        }
    }

    func http1Drain() {
        stopParsing = true
        if let last = slots.indices.last {
            slots[last].keepAlive = false
            slots[last].closeAfter = true
        }
        if slots.isEmpty {
            closeAfterFlush = true
            flush()
        }
    }
}
