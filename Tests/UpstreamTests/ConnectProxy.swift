import Foundation
import Locking
import NIOCore
import NIOPosix

/// A minimal HTTP CONNECT proxy on an ephemeral loopback port, for tests: it keeps the head of
/// every CONNECT it receives, then either refuses with `refusal` (a status line such as
/// `407 Proxy Authentication Required`) or dials the target and relays bytes both ways.
final class ConnectProxy: Sendable {
    private let server: any Channel
    private let heads: Locked<[String]>
    let port: Int

    init(refusal: String? = nil, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws {
        let heads = Locked<[String]>([])
        server = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ConnectRequestHandler(refusal: refusal, heads: heads))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        self.heads = heads
        port = server.localAddress?.port ?? 0
    }

    /// The CONNECT heads received so far, oldest first.
    var requests: [String] { heads.withLock { $0 } }

    func close() async {
        try? await server.close()
    }
}

/// Reads one CONNECT head, then refuses it or swaps itself for a relay to the target.
private final class ConnectRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let refusal: String?
    private let heads: Locked<[String]>
    private var received = ""
    private var dialling = false

    init(refusal: String?, heads: Locked<[String]>) {
        self.refusal = refusal
        self.heads = heads
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !dialling else { return }
        received += String(buffer: unwrapInboundIn(data))
        guard let end = received.range(of: "\r\n\r\n") else { return }
        let head = String(received[..<end.lowerBound])
        heads.withLock { $0.append(head) }
        if let refusal {
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(channel.allocator.buffer(string: "HTTP/1.1 \(refusal)\r\nContent-Length: 0\r\n\r\n")))
                .whenComplete { _ in channel.close(promise: nil) }
            return
        }
        let parts = head.split(separator: " ")
        guard parts.count >= 2, parts[0] == "CONNECT", let colon = parts[1].lastIndex(of: ":"), let port = Int(parts[1][parts[1].index(after: colon)...]) else {
            context.close(promise: nil)
            return
        }
        dialling = true
        let host = String(parts[1][..<colon]).trimmingCharacters(in: ["[", "]"])
        let inbound = context.channel
        let dial = ClientBootstrap(group: context.eventLoop)
            .channelInitializer { outbound in
                outbound.eventLoop.makeCompletedFuture { try outbound.pipeline.syncOperations.addHandler(RelayHandler(peer: inbound)) }
            }
            .connect(host: host, port: port)
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        dial.whenComplete { result in
            let context = boundContext.value
            switch result {
            case .success(let outbound):
                let pipeline = context.pipeline.syncOperations
                try? pipeline.addHandler(RelayHandler(peer: outbound))
                context.writeAndFlush(handler.value.wrapOutboundOut(context.channel.allocator.buffer(string: "HTTP/1.1 200 Connection established\r\n\r\n")), promise: nil)
                pipeline.removeHandler(context: context, promise: nil)
            case .failure:
                context.writeAndFlush(handler.value.wrapOutboundOut(context.channel.allocator.buffer(string: "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")), promise: nil)
                context.close(promise: nil)
            }
        }
    }
}

/// Copies every byte to the peer channel and closes it when this side closes.
private final class RelayHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let peer: any Channel

    init(peer: any Channel) { self.peer = peer }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        peer.writeAndFlush(unwrapInboundIn(data), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        peer.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
