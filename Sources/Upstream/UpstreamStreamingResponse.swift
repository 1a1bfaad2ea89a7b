/// An upstream answer as soon as its head arrived, its body still coming: a proxy answers its
/// own client with the head at once and passes each part on as it arrives (an event stream
/// frame by frame), and a recorder notes when each came.
public struct UpstreamStreamingResponse: Sendable {
    public var head: UpstreamResponseHead
    /// The body's parts as the connection delivers them, de-chunked; iterate it once, to the
    /// end or until you stop (the connection closes either way).
    public var body: UpstreamResponseBody

    public init(head: UpstreamResponseHead, body: UpstreamResponseBody) {
        self.head = head
        self.body = body
    }
}
