public import HTTPEdge

extension ServerConfiguration {
    /// What the HTTP edge needs of the configuration, and no more: it never sees the rest.
    public var edgeSettings: EdgeSettings {
        EdgeSettings(
            host: host, port: port, maxBodyBytes: maxBodyBytes, headerTimeoutSeconds: headerTimeoutSeconds,
            idleTimeoutSeconds: idleTimeoutSeconds, maxConnections: maxConnections, shutdownGraceSeconds: shutdownGraceSeconds)
    }
}
