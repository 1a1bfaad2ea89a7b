/// The numbers the HTTP edge runs by, and nothing else of the server's configuration: where to
/// listen, how large a body may be, how long a connection may take, how many may be open and
/// how long a graceful shutdown waits. The composition root fills them in from its own
/// configuration (`ServerConfiguration.edgeSettings`), which keeps the defaults and checks the
/// ranges.
public struct EdgeSettings: Sendable, Equatable {
    /// The address to bind.
    public var host: String
    /// 0 lets the system choose; `UnderstudyHTTPServer.port` says which.
    public var port: Int
    /// Largest request body; a larger one is refused as its service refuses it, before it
    /// arrives.
    public var maxBodyBytes: Int
    /// From a request's first byte to its whole head (nginx's `client_header_timeout`).
    public var headerTimeoutSeconds: Int
    /// A connection with no request, or a body with no bytes, for this long is closed.
    public var idleTimeoutSeconds: Int
    /// Open connections at once; past it new ones wait in the listen backlog.
    public var maxConnections: Int
    /// How long a graceful shutdown waits for requests in flight.
    public var shutdownGraceSeconds: Int

    public init(
        host: String, port: Int, maxBodyBytes: Int, headerTimeoutSeconds: Int, idleTimeoutSeconds: Int, maxConnections: Int,
        shutdownGraceSeconds: Int
    ) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.headerTimeoutSeconds = headerTimeoutSeconds
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.maxConnections = maxConnections
        self.shutdownGraceSeconds = shutdownGraceSeconds
    }
}
