import NIOCore

/// The first handler of every connection, below the HTTP codec: it applies the header, idle
/// and lingering-close limits of `ConnectionLifecycle` to the raw bytes. The request handler
/// tells it where a request stands with `ConnectionLifecycle.Signal` outbound user events;
/// every close passes through it on its way to the socket, so a close the HTTP codec decides
/// on (a refused head) lingers too. `Abort` before a close makes it immediate.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    /// Sent before a close that must not linger.
    struct Abort: Sendable {}

    private var lifecycle: ConnectionLifecycle
    /// The one scheduled timer, and the uptime (ms) it fires at.
    private var timer: Scheduled<Void>?
    private var timerFiresAt = Int64.max
    /// When the lifecycle wants `timerFired`; nil when it wants no timer.
    private var deadline: Int64?
    private var abortNextClose = false

    init(limits: ConnectionLifecycle.Limits) {
        lifecycle = ConnectionLifecycle(limits: limits)
    }

    private static var nowMillis: Int64 { NIODeadline.now().uptimeNanoseconds.millis }

    func channelActive(context: ChannelHandlerContext) {
        perform(lifecycle.opened(), context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let (forward, action) = lifecycle.bytesArrived(at: Self.nowMillis)
        perform(action, context: context)
        if forward { context.fireChannelRead(data) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard case ChannelEvent.inputClosed = event else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        let (forward, action) = lifecycle.inputEnded()
        if forward { context.fireUserInboundEventTriggered(event) }
        perform(action, context: context)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        if let signal = event as? ConnectionLifecycle.Signal {
            perform(lifecycle.received(signal), context: context)
            promise?.succeed(())
        } else if event is Abort {
            abortNextClose = true
            promise?.succeed(())
        } else {
            context.triggerUserOutboundEvent(event, promise: promise)
        }
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard mode == .all else {
            context.close(mode: mode, promise: promise)
            return
        }
        let action = lifecycle.closeRequested(abortive: abortNextClose, at: Self.nowMillis)
        abortNextClose = false
        switch action {
        case .shutDownOutput:
            // The close is done, as far as the caller is concerned, when the answer has left.
            perform(action, context: context)
            promise?.succeed(())
        case .none:
            promise?.succeed(())
        default:
            cancelTimer()
            context.close(mode: .all, promise: promise)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A reset or a write to a closed peer while lingering: nothing more to tell anyone.
        if case .lingering = lifecycle.phase {
            closeNow(context: context)
            return
        }
        context.fireErrorCaught(error)
    }

    private func perform(_ action: ConnectionLifecycle.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .arm(let millis):
            arm(millis, context: context)
        case .disarm:
            deadline = nil
        case .timeOut:
            cancelTimer()
            var buffer = context.channel.allocator.buffer(capacity: Self.requestTimeout.utf8.count)
            buffer.writeString(Self.requestTimeout)
            context.writeAndFlush(wrapOutboundOut(.byteBuffer(buffer)), promise: nil)
            context.close(mode: .all, promise: nil)
        case .shutDownOutput(let millis):
            arm(millis, context: context)
            context.close(mode: .output, promise: nil)
        case .close:
            closeNow(context: context)
        }
    }

    /// Every request arms and disarms the timer several times (head, body, serving, idle), so
    /// the timer is lazy, as Netty's `IdleStateHandler` is: moving the deadline later only
    /// records it, and a timer that fires early schedules itself again for what is left. A
    /// request then costs no scheduling at all, where one `scheduleTask` and `cancel` per
    /// change cost a fifth of the cheapest calls' throughput.
    private func arm(_ millis: Int64, context: ChannelHandlerContext) {
        let due = Self.nowMillis + millis
        deadline = due
        if timer != nil, timerFiresAt <= due { return }
        schedule(at: due, context: context)
    }

    private func schedule(at due: Int64, context: ChannelHandlerContext) {
        timer?.cancel()
        timerFiresAt = due
        let loop = context.eventLoop.assumeIsolated()
        timer = loop.scheduleTask(in: .milliseconds(max(0, due - Self.nowMillis))) { [self] in
            self.timer = nil
            self.timerFiresAt = .max
            guard let deadline = self.deadline else { return }
            if deadline > Self.nowMillis {
                self.schedule(at: deadline, context: context)
                return
            }
            self.deadline = nil
            self.perform(self.lifecycle.timerFired(), context: context)
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
        timerFiresAt = .max
        deadline = nil
    }

    private func closeNow(context: ChannelHandlerContext) {
        cancelTimer()
        context.close(mode: .all, promise: nil)
    }

    /// What nginx answers when a head does not arrive in time; the connection closes after it.
    static let requestTimeout = "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
}

extension UInt64 {
    fileprivate var millis: Int64 { Int64(self / 1_000_000) }
}
