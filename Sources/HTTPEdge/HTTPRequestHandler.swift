import AWSWire
import Chaos
import NIOCore
import NIOHTTP1
import ServiceKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns HTTP/1.1 request parts into whole `ServiceRequest`s for the pipeline and writes the
/// responses. Keep-alive and pipelining come from NIO's pipeline handler in front of it; this
/// adds `Expect: 100-continue`, the body size limit (answered in the service's own error
/// shape), request ids and the Date header.
final class HTTPRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        case idle
        case receiving(Pending)
        /// Answered early (the body is over the limit): the rest of the request is dropped.
        case discarding
    }

    private struct Pending {
        var head: HTTPRequestHead
        var path: String
        var query: String
        var service: AWSService
        var requestId: String
        var body: ByteBuffer
        var started: ContinuousClock.Instant
    }

    let pipeline: any EdgePipeline
    /// Larger bodies are refused as their service refuses them (`EdgeSettings.maxBodyBytes`).
    private let maxBodyBytes: Int
    private let tracker: ConnectionTracker
    private var state = State.idle
    /// Requests received whose response is not written yet (pipelined requests queue up).
    var inFlight = 0
    /// Set by the tracker's drain event: close as soon as no request is in flight.
    var draining = false
    var dateHeader = DateHeaderCache()

    init(pipeline: any EdgePipeline, maxBodyBytes: Int, tracker: ConnectionTracker) {
        self.pipeline = pipeline
        self.maxBodyBytes = maxBodyBytes
        self.tracker = tracker
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            inFlight += 1
            signal(.headReceived, context: context)
            let (path, query) = Self.splitTarget(head.uri)
            let service = pipeline.identify(method: head.method.rawValue, path: path, query: query) { head.headers.first(name: $0) }
            var pending = Pending(
                head: head, path: path, query: query, service: service, requestId: pipeline.nextRequestId(),
                body: context.channel.allocator.buffer(capacity: 0), started: .now)
            if head.headers[canonicalForm: "host"].count > 1 {
                // RFC 9112 §3.2: a request with more than one Host is answered 400. Which host
                // it meant is ambiguous, and a proxy in front may have read the other one.
                reject(pending, .failure(ServiceErrors.malformedRequest(service: service), resource: path), name: "MalformedRequest", context: context)
                return
            }
            let declared = head.headers.first(name: "content-length").flatMap(Int.init) ?? 0
            if declared > maxBodyBytes {
                // Answered now, without `100 Continue`: a client that waits for it then sends
                // nothing, one that does not is drained by the lingering close.
                reject(pending, tooLarge(pending), name: "RequestTooLarge", context: context)
                return
            }
            if declared > 0 { pending.body.reserveCapacity(min(declared, Self.reserveLimit)) }
            // RFC 9110 §10.1.1: no 1xx to an HTTP/1.0 client.
            if head.version != .http1_0, head.version != .http0_9, head.headers.first(name: "expect")?.lowercased() == "100-continue" {
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .continue))), promise: nil)
            }
            state = .receiving(pending)
        case .body(var chunk):
            switch state {
            case .receiving(var pending):
                if pending.body.readableBytes + chunk.readableBytes > maxBodyBytes {
                    reject(pending, tooLarge(pending), name: "RequestTooLarge", context: context)
                    return
                }
                state = .idle  // avoid a copy-on-write of the body buffer
                pending.body.writeBuffer(&chunk)
                state = .receiving(pending)
            case .discarding, .idle:
                break
            }
        case .end:
            switch state {
            case .receiving(let pending):
                state = .idle
                signal(.requestReceived, context: context)
                let request = ServiceRequest(
                    method: pending.head.method.rawValue, path: pending.path, query: pending.query,
                    headers: pending.head.headers.map { ($0.name, $0.value) }, body: Array(pending.body.readableBytesView),
                    requestId: pending.requestId, service: pending.service)
                switch pipeline.handle(request) {
                case .now(let reply):
                    write(WireAnswer(reply, service: pending.service, requestId: pending.requestId), for: pending.head, context: context, forceClose: false)
                case .later(let work):
                    // Only work that waits (an execution, a worker) leaves the event loop.
                    let head = pending.head
                    let service = pending.service
                    let requestId = pending.requestId
                    let promise = context.eventLoop.makePromise(of: Reply.self)
                    promise.completeWithTask { await work() }
                    promise.futureResult.assumeIsolated().whenSuccess { [self] reply in
                        self.write(WireAnswer(reply, service: service, requestId: requestId), for: head, context: context, forceClose: false)
                    }
                }
            case .discarding:
                state = .idle
            case .idle:
                break
            }
        }
    }

    /// Reservations follow the declared length only this far; larger bodies grow as they come.
    private static let reserveLimit = 1 << 20

    /// Answers a request the edge refuses (its body over the limit, its head ambiguous) at
    /// once, drops the rest of it and closes the connection.
    private func reject(_ pending: Pending, _ reply: Reply, name: OperationName, context: ChannelHandlerContext) {
        state = .discarding
        signal(.requestReceived, context: context)
        let request = ServiceRequest(
            method: pending.head.method.rawValue, path: pending.path, query: pending.query,
            headers: pending.head.headers.map { ($0.name, $0.value) }, body: [], requestId: pending.requestId,
            service: pending.service)
        pipeline.recordRefusal(request, name: name, reply, started: pending.started)
        write(WireAnswer(reply, service: pending.service, requestId: pending.requestId), for: pending.head, context: context, forceClose: true)
    }

    func signal(_ signal: ConnectionLifecycle.Signal, context: ChannelHandlerContext) {
        context.triggerUserOutboundEvent(signal, promise: nil)
    }

    private func tooLarge(_ pending: Pending) -> Reply {
        .failure(ServiceErrors.requestTooLarge(limit: maxBodyBytes, service: pending.service), resource: pending.path)
    }

    private func write(_ answer: WireAnswer, for request: HTTPRequestHead, context: ChannelHandlerContext, forceClose: Bool) {
        if answer.delivery.delayMillis > 0 {
            // Simulated latency: the whole response waits on the event loop's timer.
            var immediate = answer
            immediate.delivery.delayMillis = 0
            let loop = context.eventLoop.assumeIsolated()
            loop.scheduleTask(in: .milliseconds(Int64(answer.delivery.delayMillis))) { [self] in
                self.write(immediate, for: request, context: context, forceClose: forceClose)
            }
            return
        }
        if let fault = answer.delivery.connectionFault, answer.paced == nil {
            breakConnection(fault, for: request, context: context)
            return
        }
        if let parts = answer.paced {
            writePaced(answer, parts: parts, for: request, context: context)
            return
        }
        if let live = answer.live {
            writeLive(answer.response, body: live, for: request, context: context)
            return
        }
        let response = answer.response
        // After a CONNECT the decoder reads the rest as a tunnel's bytes, never as requests.
        let keepAlive = request.isKeepAlive && !forceClose && !draining && request.method != .CONNECT
        var headers = HTTPHeaders()
        headers.reserveCapacity(response.headers.count + 4)
        for (name, value) in response.headers { headers.add(name: name, value: value) }
        if !headers.contains(name: "Date") { headers.add(name: "Date", value: dateHeader.value(at: pipeline.clock.nowSeconds())) }
        // A HEAD answer states the length of the body it leaves out.
        if request.method != .HEAD || !headers.contains(name: "Content-Length") {
            headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
        }
        if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: request.version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if request.method == .HEAD || response.body.count <= Self.bodyChunkBytes {
            if !response.body.isEmpty, request.method != .HEAD {
                var buffer = context.channel.allocator.buffer(capacity: response.body.count)
                buffer.writeBytes(response.body)
                context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            }
            finishResponse(keepAlive: keepAlive, context: context)
        } else {
            outgoing = OutgoingBody(bytes: response.body, offset: 0, keepAlive: keepAlive)
            writeOutgoing(context: context)
        }
    }

    /// Ends the response written last: keeps the connection for the next request, or closes
    /// it once the response has left.
    func finishResponse(keepAlive: Bool, context: ChannelHandlerContext) {
        inFlight -= 1
        if keepAlive && !(draining && inFlight == 0) {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            if inFlight == 0 { signal(.responsesComplete, context: context) }
        } else {
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
        }
    }

    /// A large body goes out a chunk at a time, each only when the socket has taken the last
    /// (`channelWritabilityChanged`): a client that reads slowly, or not at all, holds one
    /// chunk of copies, not the whole body.
    private struct OutgoingBody {
        var bytes: [UInt8]
        var offset: Int
        var keepAlive: Bool
    }

    private static let bodyChunkBytes = 256 * 1024
    private var outgoing: OutgoingBody?

    private func writeOutgoing(context: ChannelHandlerContext) {
        while var body = outgoing, context.channel.isWritable {
            let end = min(body.offset + Self.bodyChunkBytes, body.bytes.count)
            var buffer = context.channel.allocator.buffer(capacity: end - body.offset)
            buffer.writeBytes(body.bytes[body.offset..<end])
            body.offset = end
            if end == body.bytes.count {
                outgoing = nil
                context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
                finishResponse(keepAlive: body.keepAlive, context: context)
                return
            }
            outgoing = body
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if outgoing != nil, context.channel.isWritable { writeOutgoing(context: context) }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        outgoing = nil
        context.fireChannelInactive()
    }

    /// Writes the head now and each part at its offset (chunked), then ends the response.
    private func writePaced(_ answer: WireAnswer, parts: [(offsetMillis: Int, bytes: [UInt8])], for request: HTTPRequestHead, context: ChannelHandlerContext) {
        let response = answer.response
        var headers = HTTPHeaders()
        for (name, value) in response.headers { headers.add(name: name, value: value) }
        if !headers.contains(name: "Date") { headers.add(name: "Date", value: dateHeader.value(at: pipeline.clock.nowSeconds())) }
        headers.replaceOrAdd(name: "Transfer-Encoding", value: "chunked")
        if !request.isKeepAlive || draining { headers.replaceOrAdd(name: "Connection", value: "close") }
        context.writeAndFlush(
            wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: HTTPResponseStatus(statusCode: response.status), headers: headers))),
            promise: nil)
        let loop = context.eventLoop.assumeIsolated()
        let started = NIODeadline.now()
        func send(_ index: Int) {
            guard context.channel.isActive else { return }
            if index == parts.count {
                inFlight -= 1
                if answer.delivery.connectionFault != nil {
                    context.triggerUserOutboundEvent(ConnectionGuard.Abort(), promise: nil)
                    context.channel.close(promise: nil)
                    return
                }
                let close = !request.isKeepAlive || (draining && inFlight == 0)
                let channel = context.channel
                let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
                if close {
                    done.whenComplete { _ in channel.close(promise: nil) }
                } else if inFlight == 0 {
                    signal(.responsesComplete, context: context)
                }
                return
            }
            var buffer = context.channel.allocator.buffer(capacity: parts[index].bytes.count)
            buffer.writeBytes(parts[index].bytes)
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            let next = index + 1
            let due = started + .milliseconds(Int64(next < parts.count ? parts[next].offsetMillis : parts[index].offsetMillis))
            loop.scheduleTask(deadline: due) { send(next) }
        }
        loop.scheduleTask(deadline: started + .milliseconds(Int64(parts.first?.offsetMillis ?? 0))) { send(0) }
    }

    /// An injected network fault: what a client sees when a load balancer or the service
    /// drops it. `reset` sends RST (SO_LINGER 0), `close` ends the connection mid-body,
    /// `stall` answers nothing and gives up after ten minutes.
    private func breakConnection(_ fault: ConnectionFault, for request: HTTPRequestHead, context: ChannelHandlerContext) {
        inFlight -= 1
        let channel = context.channel
        switch fault {
        case .reset:
            context.triggerUserOutboundEvent(ConnectionGuard.Abort(), promise: nil)
            if let provider = channel as? any SocketOptionProvider {
                provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
            } else {
                channel.close(promise: nil)
            }
        case .stall:
            context.eventLoop.scheduleTask(in: .minutes(10)) { channel.close(promise: nil) }
        case .close:
            let body = Array(#"{"message":"The connection was closed before the response body was complete"}"#.utf8)
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Content-Length", value: String(body.count))
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: .ok, headers: headers))), promise: nil)
            var buffer = channel.allocator.buffer(capacity: body.count / 2)
            buffer.writeBytes(body.prefix(body.count / 2))
            context.triggerUserOutboundEvent(ConnectionGuard.Abort(), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(buffer)))).whenComplete { _ in channel.close(promise: nil) }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // The client sent all it will (half-close): its requests are still answered, then the
        // connection guard closes (`ConnectionLifecycle.inputEnded`).
        if case ChannelEvent.inputClosed = event { return }
        if event is ConnectionTracker.DrainEvent {
            draining = true
            if inFlight == 0 {
                // Idle: nothing can be on its way from the client, no need to linger.
                context.triggerUserOutboundEvent(ConnectionGuard.Abort(), promise: nil)
                context.close(promise: nil)
            }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A refused head was answered by `MalformedRequestResponder`: that close lingers so the
        // client reads it. Socket errors leave nobody to read anything.
        if !(error is HTTPParserError) { context.triggerUserOutboundEvent(ConnectionGuard.Abort(), promise: nil) }
        context.close(promise: nil)
    }

    /// Splits a request target into the raw path and the raw query (no decoding).
    static func splitTarget(_ uri: String) -> (String, String) {
        var target = Substring(uri)
        // Absolute-form targets (proxies): keep only the path.
        if target.hasPrefix("http://") || target.hasPrefix("https://") {
            let afterScheme = target[target.index(target.firstIndex(of: ":")!, offsetBy: 3)...]
            target = afterScheme.firstIndex(of: "/").map { afterScheme[$0...] } ?? "/"
        }
        if let q = target.utf8.firstIndex(of: UInt8(ascii: "?")) {
            return (String(target[..<q]), String(target[target.utf8.index(after: q)...]))
        }
        return (String(target), "")
    }
}
