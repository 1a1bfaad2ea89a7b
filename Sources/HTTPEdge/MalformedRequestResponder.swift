import AWSWire
import NIOCore
import NIOHTTP1
import ServiceKit

/// Answers a request NIO's HTTP decoder refuses in its service's error shape, where NIO's own
/// `HTTPServerProtocolErrorHandler` writes a bare 400: a status, no body, no request id, which
/// no SDK can name. A head past the decoder's limit is S3's `RequestHeaderSectionTooLarge`;
/// anything else is a malformed request. The connection closes after it (the decoder can read
/// no further), and the refusal is journaled like any other call.
final class MalformedRequestResponder: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// NIO's limit on a head's header names and values (`NIOHTTPDecoderLimitConfiguration`).
    static let headerSectionLimit = NIOHTTPDecoderLimitConfiguration().maxHeaderListSize

    private let pipeline: any EdgePipeline
    private let capture: RequestHeadCapture
    /// A response is half written: no other can start, the connection can only close.
    private var hasUnterminatedResponse = false

    init(pipeline: any EdgePipeline, capture: RequestHeadCapture) {
        self.pipeline = pipeline
        self.capture = capture
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parseError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        if !hasUnterminatedResponse { answer(parseError, context: context) }
        // Passed on: the request handler closes the connection, lingering so this is read.
        context.fireErrorCaught(error)
    }

    private func answer(_ parseError: HTTPParserError, context: ChannelHandlerContext) {
        let started = ContinuousClock.now
        let head = capture.partialHead
        let service = pipeline.identify(method: head.method, path: head.path, query: head.query) { head.header($0) }
        let requestId = pipeline.nextRequestId()
        let error =
            parseError == .headerOverflow
            ? ServiceErrors.headerSectionTooLarge(limit: Self.headerSectionLimit, service: service)
            : ServiceErrors.malformedRequest(service: service)
        let response = ServiceErrors.response(error, service: service, requestId: requestId, resource: head.path)
        let request = ServiceRequest(
            method: head.method, path: head.path, query: head.query, headers: head.headers, body: [], requestId: requestId,
            service: service)
        pipeline.recordRefusal(request, name: "MalformedRequest", .failure(error, resource: head.path), started: started)

        var headers = HTTPHeaders(response.headers.map { ($0.name, $0.value) })
        headers.replaceOrAdd(name: "Date", value: AWSTimestamp.httpDate(epochSeconds: pipeline.clock.nowSeconds()))
        headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
        headers.replaceOrAdd(name: "Connection", value: "close")
        let status = HTTPResponseStatus(statusCode: response.status)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        var body = context.channel.allocator.buffer(capacity: response.body.count)
        body.writeBytes(response.body)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head) where head.status.code >= 200: hasUnterminatedResponse = true
        case .end: hasUnterminatedResponse = false
        case .head, .body: break
        }
        context.write(data, promise: promise)
    }
}
