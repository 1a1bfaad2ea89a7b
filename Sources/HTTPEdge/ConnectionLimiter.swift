import NIOCore

/// Sits on the listening socket, before NIO's accept handler, and counts open connections.
/// At the limit it stops accepting (`autoRead` off): new clients wait in the kernel's backlog
/// instead of being refused, and the accept loop cannot spin on `EMFILE` (NIO's
/// `AcceptBackoffHandler`, also installed, covers the descriptors used elsewhere). Accepting
/// resumes as soon as one connection closes.
final class ConnectionLimiter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel

    private let limit: Int
    private var open = 0
    private var paused = false

    init(limit: Int) { self.limit = max(1, limit) }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let child = unwrapInboundIn(data)
        open += 1
        let loop = context.eventLoop
        let handler = NIOLoopBound(self, eventLoop: loop)
        let contextBox = NIOLoopBound(context, eventLoop: loop)
        child.closeFuture.whenComplete { _ in
            loop.execute { handler.value.closed(context: contextBox.value) }
        }
        if open >= limit, !paused {
            paused = true
            context.channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in }
        }
        context.fireChannelRead(data)
    }

    private func closed(context: ChannelHandlerContext) {
        open -= 1
        if paused, open < limit {
            paused = false
            context.channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in }
        }
    }
}
