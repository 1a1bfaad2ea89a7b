import NIOCore
import NIOPosix

/// Sends bytes to a port as they are and returns every byte that comes back until the server
/// closes, so a test sees the response exactly as written: status line, headers, body.
enum RawHTTPExchange {
    struct Failure: Error {
        var description: String
    }

    static func send(_ request: String, port: Int, group: any EventLoopGroup) async throws -> String {
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(5))
            .connect(host: "127.0.0.1", port: port).get()
        let promise = channel.eventLoop.makePromise(of: [UInt8].self)
        try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.addHandler(Collector(promise: promise))
            channel.writeAndFlush(channel.allocator.buffer(string: request), promise: nil)
            // Gives up on a server that never closes, so a broken edge fails the test instead of
            // hanging it.
            let expiry = channel.eventLoop.scheduleTask(in: .seconds(10)) {
                promise.fail(Failure(description: "no close within 10 s"))
                channel.close(promise: nil)
            }
            promise.futureResult.whenComplete { _ in expiry.cancel() }
        }.get()
        return String(decoding: try await promise.futureResult.get(), as: UTF8.self)
    }

    private final class Collector: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer

        private let promise: EventLoopPromise<[UInt8]>
        private var bytes: [UInt8] = []

        init(promise: EventLoopPromise<[UInt8]>) { self.promise = promise }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            bytes += buffer.readBytes(length: buffer.readableBytes) ?? []
        }

        func channelInactive(context: ChannelHandlerContext) {
            promise.succeed(bytes)
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            promise.fail(error)
            context.close(promise: nil)
        }
    }
}
