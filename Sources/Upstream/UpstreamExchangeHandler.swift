import NIOCore
import NIOHTTP1

/// One request and its answer on a connection of their own, above the HTTP codec. It is in the
/// pipeline from the start, so whatever fails first (the TLS handshake, the proxy's tunnel, the
/// connection) reaches the caller as what it is. It writes the request once the connection is
/// up (through a proxy, once `ProxyTunnelHandler.Established` says the tunnel is), completes
/// `head` when the answer's head arrives, then yields each body part to an
/// `UpstreamResponseBody` as it comes, reading from the socket only while the consumer keeps
/// up. It owns the exchange's timeouts: the head within `timeout` of the start, each later
/// part within `timeout` of the one before (while the consumer wants more), and, when a
/// `deadline` is given, the whole answer by then.
///
/// With a `release`, the connection outlives the exchange: when an answer both sides kept
/// alive has ended, the handler leaves the pipeline and hands the channel to `release` (the
/// pool). A `reused` connection found closed before the request went fails the exchange as
/// `.closed`, which the client takes as its cue to dial again.
final class UpstreamExchangeHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    /// Tells the handler, on its event loop, when the body's consumer wants more or has gone.
    struct BodyDemand: NIOAsyncSequenceProducerDelegate {
        let handler: NIOLoopBound<UpstreamExchangeHandler>

        func produceMore() {
            let handler = self.handler
            handler.eventLoop.execute { handler.value.consumerWantsMore() }
        }

        func didTerminate() {
            let handler = self.handler
            handler.eventLoop.execute { handler.value.consumerLeft() }
        }
    }

    /// The promise goes with the state it belongs to: once the head is delivered nothing here
    /// may keep the body alive through the promise's value, or dropping it would not close
    /// the connection.
    private enum State {
        case awaitingHead(EventLoopPromise<UpstreamStreamingResponse>)
        case streaming(UpstreamResponseBody.Producer.Source)
        case finished
    }

    private let request: HTTPRequestHead
    private let body: [UInt8]
    private let upstream: String
    private let timeout: TimeAmount
    private let deadline: NIODeadline?
    /// Through a proxy the request waits for the tunnel, not for the connection.
    private let waitsForTunnel: Bool
    private let reused: Bool
    private let release: (@Sendable (any Channel) -> Void)?
    /// The answer said keep-alive (HTTP/1.1 without `Connection: close`).
    private var answerKeepsAlive = false
    private var requestSent = false
    private var state: State
    private var context: ChannelHandlerContext?
    /// The consumer is behind: a `read` waits in `heldRead` until it catches up.
    private var consumerBehind = false
    private var heldRead = false
    private var idleTimer: Scheduled<Void>?
    private var deadlineTimer: Scheduled<Void>?

    /// - Parameter upstream: how messages name the upstream (`host:port`).
    init(
        request: HTTPRequestHead, body: [UInt8], upstream: String, timeout: TimeAmount, deadline: NIODeadline?,
        waitsForTunnel: Bool, reused: Bool, head: EventLoopPromise<UpstreamStreamingResponse>,
        release: (@Sendable (any Channel) -> Void)?
    ) {
        self.waitsForTunnel = waitsForTunnel
        self.reused = reused
        self.release = release
        self.request = request
        self.body = body
        self.upstream = upstream
        self.timeout = timeout
        self.deadline = deadline
        self.state = .awaitingHead(head)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        armIdleTimer(context: context, message: "no answer from \(upstream) within \(seconds(timeout)) s")
        if let deadline {
            let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
            let budget = seconds(deadline - .now())
            deadlineTimer = context.eventLoop.scheduleTask(deadline: deadline) {
                handler.value.abandon(UpstreamFailure(.timeout, "the answer from \(handler.value.upstream) did not end within \(budget) s"))
            }
        }
        if !waitsForTunnel, context.channel.isActive {
            sendRequest(context: context)
        } else if reused {
            abandon(UpstreamFailure(.closed, "the kept connection to \(upstream) had closed"))
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        if !waitsForTunnel { sendRequest(context: context) }
        context.fireChannelActive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ProxyTunnelHandler.Established {
            sendRequest(context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// Writes the whole request; TLS below holds it until the handshake has verified the peer.
    private func sendRequest(context: ChannelHandlerContext) {
        guard !requestSent, case .awaitingHead = state else { return }
        requestSent = true
        context.write(wrapOutboundOut(.head(request)), promise: nil)
        if !body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        finish(UpstreamFailure(.closed, "the connection to \(upstream) closed before the answer ended"))
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let response):
            guard case .awaitingHead(let head) = state else { return }
            let sequence = UpstreamResponseBody.Producer.makeSequence(
                backPressureStrategy: .init(lowWatermark: 2, highWatermark: 8), finishOnDeinit: false,
                delegate: BodyDemand(handler: NIOLoopBound(self, eventLoop: context.eventLoop)))
            state = .streaming(sequence.source)
            answerKeepsAlive = response.isKeepAlive && request.isKeepAlive
            let responseHead = UpstreamResponseHead(
                status: Int(response.status.code), reason: response.status.reasonPhrase, headers: response.headers.map { ($0.name, $0.value) })
            armIdleTimer(context: context, message: "no data from \(upstream) for \(seconds(timeout)) s")
            head.succeed(UpstreamStreamingResponse(head: responseHead, body: UpstreamResponseBody(producer: sequence.sequence)))
        case .body(let part):
            guard case .streaming(let source) = state else { return }
            // A part is a slice of the channel's pooled receive buffer, which the event loop
            // reuses once it looks uniquely owned again; the consumer reads on another thread,
            // so it gets bytes of its own rather than a view the loop may rewrite (found by
            // ThreadSanitizer in CI).
            switch source.yield(context.channel.allocator.buffer(buffer: part)) {
            case .produceMore:
                armIdleTimer(context: context, message: "no data from \(upstream) for \(seconds(timeout)) s")
            case .stopProducing:
                consumerBehind = true
                cancelIdleTimer()
            case .dropped:
                consumerLeft()
            }
        case .end:
            guard case .streaming(let source) = state else { return }
            state = .finished
            cancelTimers()
            // The connection is back in the pool before the consumer learns the answer ended,
            // so a call it makes next finds it there.
            if let release, answerKeepsAlive {
                if heldRead { context.read() }
                let channel = context.channel
                context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
                release(channel)
            } else {
                context.close(promise: nil)
            }
            source.finish()
        }
    }

    func read(context: ChannelHandlerContext) {
        if consumerBehind {
            heldRead = true
        } else {
            context.read()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        abandon(Self.failure(error, upstream: upstream))
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(UpstreamFailure(.closed, "the connection to \(upstream) closed before the answer ended"))
        context.fireChannelInactive()
    }

    /// The failure a pipeline error stands for.
    static func failure(_ error: any Error, upstream: String) -> UpstreamFailure {
        switch error {
        case let failure as UpstreamFailure: return failure
        case let failure as TLSFailure: return UpstreamFailure(.tls(failure), "TLS with \(upstream): \(failure)")
        case let failure as HTTPParserError: return UpstreamFailure(.malformedResponse, "the answer from \(upstream) is not HTTP/1.1: \(failure)")
        default: return UpstreamFailure(.closed, "the connection to \(upstream) failed: \(error)")
        }
    }

    private func consumerWantsMore() {
        consumerBehind = false
        guard let context, case .streaming = state else { return }
        armIdleTimer(context: context, message: "no data from \(upstream) for \(seconds(timeout)) s")
        if heldRead {
            heldRead = false
            context.read()
        }
    }

    private func consumerLeft() {
        guard case .streaming = state else { return }
        state = .finished
        cancelTimers()
        context?.close(promise: nil)
    }

    /// Fails the exchange and closes the connection.
    private func abandon(_ failure: UpstreamFailure) {
        finish(failure)
        context?.close(promise: nil)
    }

    /// Fails whatever the caller still waits for (the head, or the rest of the body).
    private func finish(_ failure: UpstreamFailure) {
        switch state {
        case .awaitingHead(let head): head.fail(failure)
        case .streaming(let source): source.finish(failure)
        case .finished: break
        }
        state = .finished
        cancelTimers()
    }

    private func armIdleTimer(context: ChannelHandlerContext, message: String) {
        idleTimer?.cancel()
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        idleTimer = context.eventLoop.scheduleTask(in: timeout) {
            handler.value.abandon(UpstreamFailure(.timeout, message))
        }
    }

    private func cancelIdleTimer() {
        idleTimer?.cancel()
        idleTimer = nil
    }

    private func cancelTimers() {
        cancelIdleTimer()
        deadlineTimer?.cancel()
        deadlineTimer = nil
    }

    private func seconds(_ amount: TimeAmount) -> Int64 { max(0, (amount.nanoseconds + 999_999_999) / 1_000_000_000) }
}

@available(*, unavailable)
extension UpstreamExchangeHandler: Sendable {}
