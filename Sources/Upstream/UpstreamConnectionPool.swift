import NIOCore
import Locking

/// Idle HTTP/1.1 connections to upstreams, kept after an answer ends so the next call to the
/// same endpoint skips the TCP (and TLS) handshake: a recorder's client waits for its first
/// byte, and a new connection to AWS costs round trips before any byte of the request moves.
///
/// A connection is kept only when both sides said keep-alive and the answer was read to its
/// end; it is closed after `idleSeconds` unused (AWS closes idle connections on its side too,
/// and a call that finds one closed under it is sent again on a new connection, see
/// `UpstreamHTTPClient`). At most `maxIdlePerEndpoint` wait per endpoint; more are closed.
public final class UpstreamConnectionPool: Sendable {
    /// What makes two connections interchangeable: the endpoint dialled and how (TLS trust,
    /// proxy), as the client's own description of them.
    struct Key: Hashable, Sendable {
        var scheme: UpstreamEndpoint.Scheme
        var host: String
        var port: Int
        var via: String?
    }

    private struct Idle {
        var channel: any Channel
        var expiry: Scheduled<Void>
    }

    public let idleSeconds: Int64
    public let maxIdlePerEndpoint: Int
    private let idle = Locked([Key: [Idle]]())

    public init(idleSeconds: Int64 = 20, maxIdlePerEndpoint: Int = 16) {
        self.idleSeconds = idleSeconds
        self.maxIdlePerEndpoint = maxIdlePerEndpoint
    }

    /// An idle connection for `key` that is still open, most recently used first.
    func take(_ key: Key) -> (any Channel)? {
        while let entry = idle.withLock({ $0[key]?.popLast() }) {
            entry.expiry.cancel()
            if entry.channel.isActive { return entry.channel }
            entry.channel.close(promise: nil)
        }
        return nil
    }

    /// Keeps `channel` for the next call to `key`; call it on the channel's event loop with the
    /// answer read to its end and nothing left in its pipeline above the HTTP codec.
    func release(_ channel: any Channel, for key: Key) {
        let expiry = channel.eventLoop.scheduleTask(in: .seconds(idleSeconds)) { [self] in
            forget(channel, for: key)
            channel.close(promise: nil)
        }
        let kept = idle.withLock { idle -> Bool in
            var list = idle[key, default: []]
            guard list.count < maxIdlePerEndpoint else { return false }
            list.append(Idle(channel: channel, expiry: expiry))
            idle[key] = list
            return true
        }
        if !kept {
            expiry.cancel()
            channel.close(promise: nil)
        }
    }

    private func forget(_ channel: any Channel, for key: Key) {
        idle.withLock { idle in idle[key]?.removeAll { $0.channel === channel } }
    }

    /// Closes every idle connection (at shutdown).
    public func closeAll() {
        let all = idle.withLock { idle -> [Idle] in
            defer { idle = [:] }
            return idle.values.flatMap { $0 }
        }
        for entry in all {
            entry.expiry.cancel()
            entry.channel.close(promise: nil)
        }
    }
}
