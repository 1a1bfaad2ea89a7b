import AWSWire
import NIOCore
import NIOHTTP1
import ServiceKit

extension HTTPRequestHandler {
    /// Headers that describe one hop's connection, not the answer (RFC 9110 §7.6.1): the other
    /// endpoint's are not the client's.
    static let hopByHopHeaders = ["Connection", "Keep-Alive", "Transfer-Encoding", "Proxy-Connection", "TE", "Trailer", "Upgrade"]

    /// Writes a passed-through answer as it arrives: the head at once, then each part of the
    /// body the moment the other endpoint sends it, with the framing it used (its declared
    /// length, or chunked). If the other endpoint breaks off, so does this connection: the
    /// client sees the same truncated answer a proxy would give it. The body is read to its end
    /// whatever the client does (it may leave, or have asked with HEAD).
    func writeLive(_ response: AWSResponse, body: LiveResponse, for request: HTTPRequestHead, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        for (name, value) in response.headers where !Self.hopByHopHeaders.contains(where: { $0.lowercased() == name.lowercased() }) {
            headers.add(name: name, value: value)
        }
        if !headers.contains(name: "Date") { headers.add(name: "Date", value: dateHeader.value(at: pipeline.clock.nowSeconds())) }
        if let length = body.contentLength {
            headers.replaceOrAdd(name: "Content-Length", value: String(length))
        } else {
            headers.remove(name: "Content-Length")
            headers.add(name: "Transfer-Encoding", value: "chunked")
        }
        let keepAlive = request.isKeepAlive && !draining && request.method != .CONNECT
        if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
        context.writeAndFlush(
            wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: HTTPResponseStatus(statusCode: response.status), headers: headers))),
            promise: nil)
        if request.method == .HEAD {
            finishResponse(keepAlive: keepAlive, context: context)
            // No body goes to the client, but the other endpoint's (empty) answer is still read
            // to its end: a live body's reader owes that to whatever watches it pass (the
            // recorder keeps the call when it ends).
            Task { for try await _ in body.body {} }
            return
        }
        let loop = context.eventLoop
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: loop)
        Task {
            do {
                for try await part in body.body where !part.isEmpty {
                    loop.execute {
                        let (handler, context) = bound.value
                        guard context.channel.isActive else { return }
                        var buffer = context.channel.allocator.buffer(capacity: part.count)
                        buffer.writeBytes(part)
                        context.writeAndFlush(handler.wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
                    }
                }
                loop.execute {
                    let (handler, context) = bound.value
                    guard context.channel.isActive else { return }
                    handler.finishResponse(keepAlive: keepAlive, context: context)
                }
            } catch {
                loop.execute {
                    let (handler, context) = bound.value
                    handler.inFlight -= 1
                    context.triggerUserOutboundEvent(ConnectionGuard.Abort(), promise: nil)
                    context.channel.close(promise: nil)
                }
            }
        }
    }
}
