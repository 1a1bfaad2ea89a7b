import Foundation
import Locking
import NIOCore
import NIOPosix

/// A plain HTTP/1.1 server on an ephemeral loopback port that keeps connections alive and
/// answers each GET with `connection-request` (both counted from 1), so a test can tell which
/// connection carried a call. With `closesReusedConnections`, a second request on a connection
/// is met by closing it unanswered: what a client sees when the upstream shut an idle
/// connection just as the client sent on it.
final class KeepAliveServer: Sendable {
    private let server: any Channel
    private let counts: Locked<(connections: Int, requests: Int)>
    let port: Int

    init(closesReusedConnections: Bool = false) async throws {
        let counts = Locked((connections: 0, requests: 0))
        server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                let connection = counts.withLock { counts -> Int in
                    counts.connections += 1
                    return counts.connections
                }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        KeepAliveAnswerer(connection: connection, closesReused: closesReusedConnections, counts: counts))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        self.counts = counts
        port = server.localAddress?.port ?? 0
    }

    var connections: Int { counts.withLock { $0.connections } }
    var requests: Int { counts.withLock { $0.requests } }

    func close() async {
        try? await server.close()
    }
}

/// Answers bodiless requests as their heads complete.
private final class KeepAliveAnswerer: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let connection: Int
    let closesReused: Bool
    let counts: Locked<(connections: Int, requests: Int)>
    var pending = ""
    var answered = 0

    init(connection: Int, closesReused: Bool, counts: Locked<(connections: Int, requests: Int)>) {
        self.connection = connection
        self.closesReused = closesReused
        self.counts = counts
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        pending += String(buffer: unwrapInboundIn(data))
        while let end = pending.range(of: "\r\n\r\n") {
            pending.removeSubrange(..<end.upperBound)
            counts.withLock { $0.requests += 1 }
            if closesReused, answered > 0 {
                context.close(promise: nil)
                return
            }
            answered += 1
            let body = "\(connection)-\(answered)"
            let answer = "HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: answer)), promise: nil)
        }
    }
}
