import NIOCore

/// Opens a CONNECT tunnel through an HTTP proxy: sends `CONNECT host:port`, reads the proxy's
/// answer head, and on a 2xx takes itself out, lets `established` add TLS and the HTTP codec
/// in its place (in the same event-loop turn, before another byte can arrive) and fires
/// `Established` so the exchange above sends its request. Anything else is an
/// `UpstreamFailure` of kind `.proxy`, fired up the pipeline before the connection closes.
/// Raw bytes rather than NIO's HTTP codec because the head is all there is: a 2xx to CONNECT
/// has no body, and after it the connection is the upstream's.
final class ProxyTunnelHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Fired once the tunnel is open and TLS is in place.
    struct Established: Sendable {}

    /// A proxy's answer head larger than this is refused.
    static let maximumHeadBytes = 16_384

    private let target: UpstreamEndpoint
    private let proxy: UpstreamProxy
    private let established: (ChannelPipeline.SynchronousOperations) throws -> Void
    private var received: ByteBuffer?
    private var sent = false
    private var finished = false

    /// - Parameter established: adds the handlers the tunnel carries, at the pipeline's front.
    init(target: UpstreamEndpoint, proxy: UpstreamProxy, established: @escaping (ChannelPipeline.SynchronousOperations) throws -> Void) {
        self.target = target
        self.proxy = proxy
        self.established = established
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { sendConnect(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        sendConnect(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !finished {
            finished = true
            context.fireErrorCaught(failure("closed the connection before it answered"))
        }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !finished else { return }
        var bytes = unwrapInboundIn(data)
        if received == nil { received = bytes } else { received!.writeBuffer(&bytes) }
        guard let head = received, let end = Self.endOfHead(head) else {
            if (received?.readableBytes ?? 0) > Self.maximumHeadBytes { refuse("an answer head over \(Self.maximumHeadBytes) bytes", context: context) }
            return
        }
        let status = Self.status(head.getString(at: head.readerIndex, length: end) ?? "")
        guard let status, (200..<300).contains(status.code) else {
            refuse(status.map { "\($0.code) \($0.reason)" } ?? "an answer that is not HTTP", context: context)
            return
        }
        guard head.readableBytes == end + 4 else {
            refuse("bytes after its \(status.code) answer, before TLS began", context: context)
            return
        }
        finished = true
        let channel = context.channel
        let pipeline = context.pipeline.syncOperations
        pipeline.removeHandler(context: context, promise: nil)
        do {
            try established(pipeline)
            channel.pipeline.fireUserInboundEventTriggered(Established())
        } catch {
            channel.pipeline.fireErrorCaught(UpstreamFailure(.proxy, "cannot set up the tunnel to \(target.authority): \(error)"))
            channel.close(promise: nil)
        }
    }

    private func sendConnect(context: ChannelHandlerContext) {
        guard !sent else { return }
        sent = true
        var request = "CONNECT \(target.authority) HTTP/1.1\r\nHost: \(target.authority)\r\n"
        if let authorization = proxy.authorization { request += "Proxy-Authorization: \(authorization)\r\n" }
        request += "\r\n"
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: request)), promise: nil)
    }

    private func refuse(_ what: String, context: ChannelHandlerContext) {
        finished = true
        context.fireErrorCaught(failure("refused: \(what)"))
        context.close(promise: nil)
    }

    private func failure(_ what: String) -> UpstreamFailure {
        UpstreamFailure(.proxy, "proxy \(proxy.endpoint.authority), asked to CONNECT \(target.authority), \(what)")
    }

    /// The offset of the blank line ending the head, from the reader index.
    private static func endOfHead(_ buffer: ByteBuffer) -> Int? {
        let view = buffer.readableBytesView
        guard view.count >= 4 else { return nil }
        var index = view.startIndex
        while index <= view.endIndex - 4 {
            if view[index] == 13, view[index + 1] == 10, view[index + 2] == 13, view[index + 3] == 10 { return index - view.startIndex }
            index += 1
        }
        return nil
    }

    /// The status line's code and reason: `HTTP/1.x 200 Connection established`.
    private static func status(_ head: String) -> (code: Int, reason: String)? {
        let line = head.split(separator: "\r\n", maxSplits: 1).first ?? ""
        let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let code = Int(parts[1]) else { return nil }
        return (code, parts.count == 3 ? String(parts[2]) : "")
    }
}

@available(*, unavailable)
extension ProxyTunnelHandler: Sendable {}
