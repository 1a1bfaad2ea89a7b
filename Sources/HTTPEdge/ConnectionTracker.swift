import Locking
import NIOCore

/// Knows every open connection so a graceful shutdown can reach them. Per-request bookkeeping
/// stays in each connection's handler, on its own event loop: draining is an event sent to
/// every connection, which closes at once when idle or right after its response otherwise.
final class ConnectionTracker: Sendable {
    /// Sent through each connection's pipeline when the server starts draining.
    struct DrainEvent: Sendable {}

    private struct State {
        var connections: [ObjectIdentifier: any Channel] = [:]
        var draining = false
    }

    private let state = Locked(State())

    var openConnections: Int { state.withLock { $0.connections.count } }

    func opened(_ channel: any Channel) {
        let draining = state.withLock { s -> Bool in
            s.connections[ObjectIdentifier(channel)] = channel
            return s.draining
        }
        if draining { channel.close(promise: nil) }
        channel.closeFuture.whenComplete { [weak self] _ in
            self?.state.withLock { _ = $0.connections.removeValue(forKey: ObjectIdentifier(channel)) }
        }
    }

    /// Stops new work: every connection is told to close once its current response is out.
    func beginDraining() {
        let all = state.withLock { s -> [any Channel] in
            s.draining = true
            return Array(s.connections.values)
        }
        for channel in all {
            channel.eventLoop.execute { channel.pipeline.fireUserInboundEventTriggered(DrainEvent()) }
        }
    }

    /// Closes whatever is still open (the grace period is over).
    func closeAll() {
        let all = state.withLock { Array($0.connections.values) }
        for channel in all { channel.close(promise: nil) }
    }
}
