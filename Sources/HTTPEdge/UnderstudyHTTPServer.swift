import Foundation
public import Logging
public import NIOCore
import NIOHTTP1
import NIOPosix

/// The one-port HTTP/1.1 server: binds, hands whole requests to its pipeline, and shuts down
/// gracefully (stop accepting, finish in-flight requests, close, within the grace period).
public final class UnderstudyHTTPServer: Sendable {
    public let pipeline: any EdgePipeline
    public let settings: EdgeSettings
    let group: MultiThreadedEventLoopGroup
    private let serverChannel: any Channel
    let logger: Logger

    /// The address actually bound (the port is chosen by the OS when 0 was asked for).
    public var localAddress: SocketAddress? { serverChannel.localAddress }
    public var port: Int { serverChannel.localAddress?.port ?? 0 }

    /// Binds `settings.host` and `settings.port`; a failure to bind is a `ServerBindError`
    /// naming the address, so the command line can say what to change.
    public static func start(
        pipeline: any EdgePipeline, settings: EdgeSettings, logger: Logger, threads: Int = System.coreCount
    ) async throws -> UnderstudyHTTPServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads))
        let tracker = ConnectionTracker()
        let limits = ConnectionLifecycle.Limits(
            headerTimeoutMillis: Int64(settings.headerTimeoutSeconds) * 1000,
            idleTimeoutMillis: Int64(settings.idleTimeoutSeconds) * 1000)
        let maxConnections = settings.maxConnections
        let maxBodyBytes = settings.maxBodyBytes
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(AcceptBackoffHandler())
                    try channel.pipeline.syncOperations.addHandler(ConnectionLimiter(limit: maxConnections))
                }
            }
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            // A client that half-closes after its request still gets the answer.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                tracker.opened(channel)
                // The initializer runs on the channel's event loop: configure synchronously.
                return channel.eventLoop.makeCompletedFuture {
                    let operations = channel.pipeline.syncOperations
                    try operations.addHandler(ConnectionGuard(limits: limits))
                    // NIO's server pipeline, assembled here so that a request the decoder refuses
                    // is answered in its service's shape (`MalformedRequestResponder`, with the
                    // head's first bytes from `RequestHeadCapture`) rather than a bare 400. The
                    // decoder is not paired with the encoder: the request handler frames HEAD
                    // answers itself, and a CONNECT's refusal keeps its body and length.
                    let capture = RequestHeadCapture()
                    try operations.addHandler(HTTPResponseEncoder())
                    try operations.addHandler(capture)
                    try operations.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)))
                    try operations.addHandler(DecodedHeadObserver(capture: capture))
                    try operations.addHandler(HTTPServerPipelineHandler())
                    try operations.addHandler(NIOHTTPResponseHeadersValidator())
                    try operations.addHandler(MalformedRequestResponder(pipeline: pipeline, capture: capture))
                    try operations.addHandler(HTTPRequestHandler(pipeline: pipeline, maxBodyBytes: maxBodyBytes, tracker: tracker))
                }
            }
        do {
            let channel = try await bootstrap.bind(host: settings.host, port: settings.port).get()
            return UnderstudyHTTPServer(
                pipeline: pipeline, settings: settings, group: group, tracker: tracker, serverChannel: channel, logger: logger)
        } catch {
            try? await group.shutdownGracefully()
            throw ServerBindError(host: settings.host, port: settings.port, error: error)
        }
    }

    private init(
        pipeline: any EdgePipeline, settings: EdgeSettings, group: MultiThreadedEventLoopGroup, tracker: ConnectionTracker,
        serverChannel: any Channel, logger: Logger
    ) {
        self.pipeline = pipeline
        self.settings = settings
        self.group = group
        self.serverChannel = serverChannel
        self.logger = logger
        self.tracker = tracker
    }

    /// The same tracker the child channels register with.
    private let tracker: ConnectionTracker

    /// Stops accepting, lets in-flight requests finish (up to `grace`), then closes everything.
    public func shutdown(grace: TimeAmount? = nil) async {
        let grace = grace ?? .seconds(Int64(settings.shutdownGraceSeconds))
        try? await serverChannel.close()
        tracker.beginDraining()
        let deadline = NIODeadline.now() + grace
        while tracker.openConnections > 0, NIODeadline.now() < deadline {
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        tracker.closeAll()
        try? await group.shutdownGracefully()
    }

    /// Serves until SIGINT or SIGTERM, then shuts down gracefully.
    public func runUntilSignalled() async {
        let signals = AsyncStream<Int32> { continuation in
            nonisolated(unsafe) let sources = [SIGINT, SIGTERM].map { sig in
                signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
                source.setEventHandler { continuation.yield(sig) }
                source.resume()
                return source
            }
            continuation.onTermination = { _ in sources.forEach { $0.cancel() } }
        }
        for await sig in signals {
            logger.info("received \(sig == SIGINT ? "SIGINT" : "SIGTERM"), shutting down")
            break
        }
        await shutdown()
        logger.info("stopped")
    }
}
