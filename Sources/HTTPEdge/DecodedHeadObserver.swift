import NIOCore
import NIOHTTP1

/// Sits right behind NIO's HTTP decoder and tells the `RequestHeadCapture` in front of it where
/// requests begin and end, before pipelining can hold a request back: the capture keeps only
/// the bytes of a head the decoder has not finished.
final class DecodedHeadObserver: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    private let capture: RequestHeadCapture

    init(capture: RequestHeadCapture) { self.capture = capture }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: capture.headDecoded()
        case .end: capture.requestEnded()
        case .body: break
        }
        context.fireChannelRead(data)
    }
}
