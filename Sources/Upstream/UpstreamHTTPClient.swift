public import NIOCore
import NIOHTTP1
import NIOPosix

/// The HTTP/1.1 client for calls Understudy itself makes to another endpoint: an external
/// S3-compatible store for batch jobs, and the real AWS services a recording forwards to.
/// Given a `pool`, connections are kept alive and reused (a call that finds its idle
/// connection closed by the upstream is sent again on a new one); without, one connection per
/// request (`Connection: close`). `https` through the system OpenSSL (`TLSClientHandler`),
/// verified against the trust store, and through an `HTTPS_PROXY` by a CONNECT tunnel when one
/// applies.
///
/// Timeouts: connecting, and the answer's head, within `timeoutSeconds` each; then each body
/// part within `timeoutSeconds` of the last (`streamResponse`), or the whole answer within
/// `timeoutSeconds` of the request (`send`).
public struct UpstreamHTTPClient: Sendable {
    public let endpoint: UpstreamEndpoint
    let tls: TLSClientContext?
    let proxy: UpstreamProxy?
    let timeoutSeconds: Int64
    let group: any EventLoopGroup
    let pool: UpstreamConnectionPool?

    /// - Parameters:
    ///   - tls: the trust settings for an `https` endpoint; nil means the system trust store
    ///     with verification on. Share one context between clients.
    ///   - proxy: used when it `applies(to:)` the endpoint.
    ///   - group: NIO's shared event loops unless given.
    ///   - pool: where connections wait between calls; share one between the clients of one
    ///     TLS context and proxy. Nil: a connection per call.
    public init(
        endpoint: UpstreamEndpoint, tls: TLSClientContext? = nil, proxy: UpstreamProxy? = nil, timeoutSeconds: Int64 = 30,
        group: (any EventLoopGroup)? = nil, pool: UpstreamConnectionPool? = nil
    ) {
        self.pool = pool
        self.endpoint = endpoint
        self.tls = tls
        self.proxy = proxy
        self.timeoutSeconds = timeoutSeconds
        self.group = group ?? MultiThreadedEventLoopGroup.singleton
    }

    /// `Host` as the request carries it (and as SigV4 signs it).
    public var hostHeader: String { endpoint.hostHeader }

    /// The system trust store with verification on, made once for clients given no context.
    private static let systemTrust = Result { () throws(TLSFailure) in try TLSClientContext() }

    /// Sends a request and reads the whole answer.
    public func send(
        method: String, target: String, headers: [(name: String, value: String)], body: [UInt8]
    ) async throws(UpstreamFailure) -> UpstreamResponse {
        let deadline = NIODeadline.now() + .seconds(timeoutSeconds)
        let response = try await exchange(method: method, target: target, headers: headers, body: body, deadline: deadline)
        do {
            return UpstreamResponse(status: response.head.status, headers: response.head.headers, body: try await response.body.collect())
        } catch {
            throw UpstreamExchangeHandler.failure(error, upstream: endpoint.authority)
        }
    }

    /// Sends a request and returns as soon as the answer's head has arrived, with its body
    /// still coming: a pass-through proxy answers its client with the head at once and hands
    /// on each part (an event stream's frames) as the upstream sends it. `target` is the
    /// request line's path and query, already encoded; `Host` and `Content-Length` are added
    /// when `headers` lacks them, and `Connection: close` when there is no pool.
    public func streamResponse(
        method: String, target: String, headers: [(name: String, value: String)], body: [UInt8]
    ) async throws(UpstreamFailure) -> UpstreamStreamingResponse {
        try await exchange(method: method, target: target, headers: headers, body: body, deadline: nil)
    }

    private func exchange(
        method: String, target: String, headers: [(name: String, value: String)], body: [UInt8], deadline: NIODeadline?
    ) async throws(UpstreamFailure) -> UpstreamStreamingResponse {
        let timeout = TimeAmount.seconds(timeoutSeconds)
        let loop = group.next()
        let request = requestHead(method: method, target: target, headers: headers, bodyCount: body.count)
        let endpoint = self.endpoint
        let upstream = endpoint.authority
        let tunnel = proxy.flatMap { $0.applies(to: endpoint) ? $0 : nil }
        let tls: TLSClientContext?
        switch (endpoint.scheme, self.tls) {
        case (.http, _): tls = nil
        case (.https, let given?): tls = given
        case (.https, nil):
            switch Self.systemTrust {
            case .success(let context): tls = context
            case .failure(let failure):
                throw UpstreamFailure(.tls(failure), "TLS with \(upstream): \(failure)")
            }
        }
        let key = UpstreamConnectionPool.Key(scheme: endpoint.scheme, host: endpoint.host, port: endpoint.port, via: tunnel?.endpoint.authority)
        let pool = self.pool
        let release: (@Sendable (any Channel) -> Void)?
        if let pool { release = { channel in pool.release(channel, for: key) } } else { release = nil }
        if let pool, let idle = pool.take(key) {
            do {
                return try await reuse(idle, request: request, body: body, timeout: timeout, deadline: deadline, release: release)
            } catch where error.kind == .closed {
                // The upstream closed the idle connection as the request went: it saw none of
                // it, so it goes again on a new connection.
            }
        }
        let head = loop.makePromise(of: UpstreamStreamingResponse.self)
        let dialled = tunnel?.endpoint ?? endpoint
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: loop)
                .connectTimeout(timeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        if let tunnel {
                            try pipeline.addHandler(
                                ProxyTunnelHandler(target: endpoint, proxy: tunnel) { pipeline in
                                    try pipeline.addHTTPClientHandlers(position: .first)
                                    if let tls { try pipeline.addHandler(TLSClientHandler(context: tls, serverName: endpoint.host), position: .first) }
                                })
                        } else {
                            if let tls { try pipeline.addHandler(TLSClientHandler(context: tls, serverName: endpoint.host)) }
                            try pipeline.addHTTPClientHandlers()
                        }
                        try pipeline.addHandler(
                            UpstreamExchangeHandler(
                                request: request, body: body, upstream: upstream, timeout: timeout, deadline: deadline,
                                waitsForTunnel: tunnel != nil, reused: false, head: head, release: release))
                    }
                }
                .connect(host: dialled.host, port: dialled.port).get()
        } catch {
            let failure = UpstreamFailure(.connect, "cannot connect to \(tunnel == nil ? "" : "proxy ")\(dialled.authority): \(error)")
            head.fail(failure)
            throw failure
        }
        return try await awaitHead(head, on: channel)
    }

    /// The exchange on a kept connection: a new exchange handler above its HTTP codec.
    private func reuse(
        _ channel: any Channel, request: HTTPRequestHead, body: [UInt8], timeout: TimeAmount, deadline: NIODeadline?,
        release: (@Sendable (any Channel) -> Void)?
    ) async throws(UpstreamFailure) -> UpstreamStreamingResponse {
        // Any failure here comes before the answer's head: a `.closed` one means the upstream
        // shut the idle connection, and the caller sends again.
        let head = channel.eventLoop.makePromise(of: UpstreamStreamingResponse.self)
        let upstream = endpoint.authority
        channel.eventLoop.execute {
            do {
                try channel.pipeline.syncOperations.addHandler(
                    UpstreamExchangeHandler(
                        request: request, body: body, upstream: upstream, timeout: timeout, deadline: deadline, waitsForTunnel: false,
                        reused: true, head: head, release: release))
            } catch {
                head.fail(UpstreamFailure(.closed, "the connection to \(upstream) closed before the request went"))
            }
        }
        return try await awaitHead(head, on: channel)
    }

    private func awaitHead(_ head: EventLoopPromise<UpstreamStreamingResponse>, on channel: any Channel) async throws(UpstreamFailure)
        -> UpstreamStreamingResponse
    {
        let upstream = endpoint.authority
        do {
            return try await withTaskCancellationHandler {
                try await head.futureResult.get()
            } onCancel: {
                channel.close(promise: nil)
            }
        } catch {
            if Task.isCancelled { throw UpstreamFailure(.cancelled, "the call to \(upstream) was cancelled") }
            throw UpstreamExchangeHandler.failure(error, upstream: upstream)
        }
    }

    private func requestHead(method: String, target: String, headers: [(name: String, value: String)], bodyCount: Int) -> HTTPRequestHead {
        var head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: target)
        for (name, value) in headers { head.headers.add(name: name, value: value) }
        if !head.headers.contains(name: "Host") { head.headers.add(name: "Host", value: hostHeader) }
        // NIO would frame an unannounced body as chunked, which S3 refuses for a PUT.
        if !head.headers.contains(name: "Content-Length"), !head.headers.contains(name: "Transfer-Encoding"),
            bodyCount > 0 || ["POST", "PUT", "PATCH"].contains(method)
        {
            head.headers.add(name: "Content-Length", value: String(bodyCount))
        }
        if pool == nil { head.headers.replaceOrAdd(name: "Connection", value: "close") }
        return head
    }
}
