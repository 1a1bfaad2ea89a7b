import NIOCore
import NIOHTTP1
import NIOPosix

/// A small HTTP/1.1 client for calls Understudy itself makes to another endpoint (an external
/// S3-compatible store for batch jobs). One connection per request, plain `http` only: the
/// endpoints it serves are local stand-ins (MinIO, another Understudy), and TLS would add a
/// dependency the rest of the binary does not need.
struct UpstreamHTTPClient: Sendable {
    struct Response: Sendable {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    struct Failure: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    let host: String
    let port: Int
    let timeoutSeconds: Int64
    let group: any EventLoopGroup

    init(host: String, port: Int, timeoutSeconds: Int64 = 30, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.host = host
        self.port = port
        self.timeoutSeconds = timeoutSeconds
        self.group = group
    }

    /// `Host` as the request carries it (and as SigV4 signs it).
    var hostHeader: String { port == 80 ? host : "\(host):\(port)" }

    func send(method: String, target: String, headers: [(name: String, value: String)], body: [UInt8]) async throws(Failure) -> Response {
        let timeout = TimeAmount.seconds(timeoutSeconds)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(timeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    }
                }
                .connect(host: host, port: port).get()
        } catch {
            throw Failure(description: "cannot connect to \(hostHeader): \(error)")
        }
        let promise = channel.eventLoop.makePromise(of: Response.self)
        var head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: target)
        for (name, value) in headers { head.headers.add(name: name, value: value) }
        head.headers.replaceOrAdd(name: "Connection", value: "close")
        let request = head
        let hostHeader = self.hostHeader
        do {
            try await channel.eventLoop.submit {
                try channel.pipeline.syncOperations.addHandler(ResponseCollector(promise: promise))
                let expiry = channel.eventLoop.scheduleTask(in: timeout) {
                    promise.fail(Failure(description: "no answer from \(hostHeader) within \(timeout.nanoseconds / 1_000_000_000) s"))
                    channel.close(promise: nil)
                }
                promise.futureResult.whenComplete { _ in expiry.cancel() }
                channel.write(HTTPClientRequestPart.head(request), promise: nil)
                if !body.isEmpty {
                    channel.write(HTTPClientRequestPart.body(.byteBuffer(channel.allocator.buffer(bytes: body))), promise: nil)
                }
                channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
            }.get()
            let response = try await promise.futureResult.get()
            channel.close(promise: nil)
            return response
        } catch let failure as Failure {
            channel.close(promise: nil)
            throw failure
        } catch {
            channel.close(promise: nil)
            throw Failure(description: "request to \(hostHeader) failed: \(error)")
        }
    }
}

/// Gathers one response and completes the promise with it; a connection that ends first
/// fails it.
private final class ResponseCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let promise: EventLoopPromise<UpstreamHTTPClient.Response>
    private var response: UpstreamHTTPClient.Response?

    init(promise: EventLoopPromise<UpstreamHTTPClient.Response>) { self.promise = promise }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            response = UpstreamHTTPClient.Response(status: Int(head.status.code), headers: head.headers.map { ($0.name, $0.value) }, body: [])
        case .body(var buffer):
            response?.body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            if let response { promise.succeed(response) }
            self.response = nil
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(UpstreamHTTPClient.Failure(description: "the connection closed before the response ended"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.close(promise: nil)
    }
}
