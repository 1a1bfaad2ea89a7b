import NIOCore

/// TLS for an upstream connection, as the lowest handler of its pipeline: bytes below are
/// ciphertext, bytes above are plaintext HTTP. It starts the handshake as soon as the channel
/// is active (or at once when added to an active one, after a proxy's CONNECT tunnel), holds
/// the request's writes until the handshake has verified the peer, so a refused certificate
/// means no byte of the request left, and fires a `TLSFailure` (then closes) when anything
/// fails.
///
/// Like NIO's own handlers it is confined to its channel's event loop and not `Sendable`; so
/// is the `TLSSession` it owns, which frees the `SSL` when the handler is removed.
final class TLSClientHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private enum State {
        case idle
        case handshaking
        case open
        case closed
    }

    private let tls: TLSClientContext
    private let serverName: String
    private var session: TLSSession?
    private var state = State.idle
    /// Plaintext written before the handshake finished, sent once it has.
    private var heldWrites: [(data: ByteBuffer, promise: EventLoopPromise<Void>?)] = []
    private var flushHeld = false

    init(context: TLSClientContext, serverName: String) {
        self.tls = context
        self.serverName = serverName
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { startHandshake(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        failHeldWrites(ChannelError.ioOnClosedChannel)
        session = nil
        state = .closed
    }

    func channelActive(context: ChannelHandlerContext) {
        startHandshake(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if state == .handshaking || state == .idle {
            state = .closed
            failHeldWrites(TLSFailure.closedDuringHandshake)
            context.fireErrorCaught(TLSFailure.closedDuringHandshake)
        }
        state = .closed
        failHeldWrites(ChannelError.ioOnClosedChannel)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let session, state == .handshaking || state == .open else { return }
        do {
            try session.receive(unwrapInboundIn(data))
        } catch {
            fail(error, context: context)
            return
        }
        if state == .handshaking {
            advanceHandshake(session, context: context)
        } else {
            deliverPlaintext(session, context: context)
        }
    }

    /// Swallowed: `deliverPlaintext` fires it after the plaintext it fires, and ciphertext
    /// that decrypts to nothing (handshake messages) is nothing to the handlers above.
    func channelReadComplete(context: ChannelHandlerContext) {}

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .byteBuffer(let buffer) = unwrapOutboundIn(data) else {
            promise?.fail(TLSFailure.connectionFailed("a file region cannot be sent over TLS"))
            return
        }
        switch state {
        case .idle, .handshaking: heldWrites.append((buffer, promise))
        case .open: encrypt(buffer, promise: promise, context: context)
        case .closed: promise?.fail(ChannelError.ioOnClosedChannel)
        }
    }

    func flush(context: ChannelHandlerContext) {
        switch state {
        case .idle, .handshaking: flushHeld = true
        case .open, .closed: context.flush()
        }
    }

    /// Sends close_notify before the socket closes, so the peer sees a clean end.
    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        if mode == .all, state == .open, let session {
            state = .closed
            session.shutdown()
            sendOutput(session, context: context)
        }
        context.close(mode: mode, promise: promise)
    }

    private func startHandshake(context: ChannelHandlerContext) {
        guard state == .idle else { return }
        do {
            let session = try TLSSession(context: tls, serverName: serverName)
            self.session = session
            state = .handshaking
            advanceHandshake(session, context: context)
        } catch {
            fail(error, context: context)
        }
    }

    private func advanceHandshake(_ session: TLSSession, context: ChannelHandlerContext) {
        switch session.advanceHandshake() {
        case .needsInput:
            sendOutput(session, context: context)
        case .failed(let failure):
            sendOutput(session, context: context)  // the alert, so the server's log says why
            fail(failure, context: context)
        case .finished:
            state = .open
            sendOutput(session, context: context)
            let writes = heldWrites
            heldWrites = []
            for write in writes { encrypt(write.data, promise: write.promise, context: context) }
            if flushHeld {
                flushHeld = false
                context.flush()
            }
            // Records that came with the last handshake message.
            deliverPlaintext(session, context: context)
        }
    }

    private func deliverPlaintext(_ session: TLSSession, context: ChannelHandlerContext) {
        let (chunks, streamState) = session.readPlaintext(allocator: context.channel.allocator)
        for chunk in chunks { context.fireChannelRead(wrapInboundOut(chunk)) }
        if !chunks.isEmpty { context.fireChannelReadComplete() }
        sendOutput(session, context: context)  // post-handshake replies (key updates)
        switch streamState {
        case .open: break
        case .closedByPeer:
            // The HTTP decoder ends a body that runs to the close when the channel goes inactive.
            context.close(promise: nil)
        case .failed(let failure):
            fail(failure, context: context)
        }
    }

    private func encrypt(_ buffer: ByteBuffer, promise: EventLoopPromise<Void>?, context: ChannelHandlerContext) {
        guard let session else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        do {
            try session.write(buffer)
        } catch {
            promise?.fail(error)
            fail(error, context: context)
            return
        }
        if let output = session.takeOutput(allocator: context.channel.allocator) {
            context.write(wrapOutboundOut(.byteBuffer(output)), promise: promise)
        } else {
            promise?.succeed(())
        }
    }

    private func sendOutput(_ session: TLSSession, context: ChannelHandlerContext) {
        if let output = session.takeOutput(allocator: context.channel.allocator) {
            context.writeAndFlush(wrapOutboundOut(.byteBuffer(output)), promise: nil)
        }
    }

    private func fail(_ failure: TLSFailure, context: ChannelHandlerContext) {
        guard state != .closed else { return }
        state = .closed
        failHeldWrites(failure)
        context.fireErrorCaught(failure)
        context.close(promise: nil)
    }

    private func failHeldWrites(_ error: any Error) {
        let writes = heldWrites
        heldWrites = []
        for write in writes { write.promise?.fail(error) }
    }
}

@available(*, unavailable)
extension TLSClientHandler: Sendable {}
