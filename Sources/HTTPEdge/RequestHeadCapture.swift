import NIOCore

/// Keeps the first bytes of the request head being read, ahead of NIO's HTTP decoder, so a head
/// the decoder refuses (too large, a control character in a header) can still be answered in
/// its service's error shape: NIO's parse errors say what is wrong, never which request it was.
///
/// It records from the first read after a request ended (the decoder tells it through
/// `DecodedHeadObserver`) until the decoder has the whole head, at most `limit` bytes: enough
/// for the request line and the headers that name a service. A client that pipelines has its
/// next head start mid-read; that head is then not seen from its start, and its refusal falls
/// back to the service an unreadable request line names (S3).
final class RequestHeadCapture: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    static let limit = 8 * 1024

    private var recording = true
    /// A slice of the read that began the head (no copy: most heads come whole in one read),
    /// grown by copying only when the head spans reads.
    private var kept: ByteBuffer?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if recording {
            let buffer = unwrapInboundIn(data)
            if var head = kept {
                if head.readableBytes < Self.limit, var more = buffer.getSlice(
                    at: buffer.readerIndex, length: min(Self.limit - head.readableBytes, buffer.readableBytes))
                {
                    kept = nil  // one reference, so the write below copies the slice only once
                    head.writeBuffer(&more)
                    kept = head
                }
            } else {
                kept = buffer.getSlice(at: buffer.readerIndex, length: min(Self.limit, buffer.readableBytes))
            }
        }
        context.fireChannelRead(data)
    }

    /// The decoder has a whole head: nothing more to keep for this request.
    func headDecoded() {
        recording = false
        kept = nil
    }

    /// The request ended: the next bytes begin the next head.
    func requestEnded() {
        recording = true
        kept = nil
    }

    /// What the bytes kept so far say of the head being read.
    var partialHead: PartialHead { PartialHead(kept.map { Array($0.readableBytesView) } ?? []) }

    /// The request line and the whole header lines of the bytes kept, read leniently: they are
    /// what the decoder refused, and only name the service and the request's resource.
    struct PartialHead {
        var method = ""
        var path = "/"
        var query = ""
        var headers: [(name: String, value: String)] = []

        init(_ bytes: [UInt8]) {
            var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
                line.last == UInt8(ascii: "\r") ? line.dropLast() : line
            }
            // A line after the last LF is cut short: a header only when whole, though a request
            // line's start still names the method and the start of the target.
            if bytes.last != UInt8(ascii: "\n"), lines.count > 1 { lines.removeLast() }
            guard let requestLine = lines.first(where: { !$0.isEmpty }) else { return }
            let parts = requestLine.split(separator: UInt8(ascii: " "), maxSplits: 2)
            guard parts.count >= 2 else { return }
            method = String(decoding: parts[0], as: UTF8.self)
            (path, query) = HTTPRequestHandler.splitTarget(String(decoding: parts[1], as: UTF8.self))
            if path.isEmpty { path = "/" }
            for line in lines.drop(while: { $0.isEmpty }).dropFirst() {
                if line.isEmpty { break }
                guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
                var value = line[line.index(after: colon)...]
                while let first = value.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { value = value.dropFirst() }
                while let last = value.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { value = value.dropLast() }
                headers.append((String(decoding: line[..<colon], as: UTF8.self), String(decoding: value, as: UTF8.self)))
            }
        }

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }
}
