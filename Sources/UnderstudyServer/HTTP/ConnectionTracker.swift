import NIOConcurrencyHelpers
import NIOCore

/// Knows every open connection and whether it is mid-request, so a graceful shutdown can close
/// idle connections at once and busy ones right after their response.
final class ConnectionTracker: Sendable {
    private struct Connection {
        let channel: any Channel
        var inFlight: Int
    }

    private struct State {
        var connections: [ObjectIdentifier: Connection] = [:]
        var draining = false
    }

    private let state = NIOLockedValueBox(State())

    var isDraining: Bool { state.withLockedValue { $0.draining } }
    var openConnections: Int { state.withLockedValue { $0.connections.count } }

    func opened(_ channel: any Channel) {
        let draining = state.withLockedValue { s -> Bool in
            s.connections[ObjectIdentifier(channel)] = Connection(channel: channel, inFlight: 0)
            return s.draining
        }
        if draining { channel.close(promise: nil) }
        channel.closeFuture.whenComplete { [weak self] _ in
            self?.state.withLockedValue { _ = $0.connections.removeValue(forKey: ObjectIdentifier(channel)) }
        }
    }

    func requestStarted(_ channel: any Channel) {
        state.withLockedValue { $0.connections[ObjectIdentifier(channel)]?.inFlight += 1 }
    }

    /// Returns true when the connection should close now that its response is written.
    func requestFinished(_ channel: any Channel) -> Bool {
        state.withLockedValue { s in
            s.connections[ObjectIdentifier(channel)]?.inFlight -= 1
            return s.draining && (s.connections[ObjectIdentifier(channel)]?.inFlight ?? 0) <= 0
        }
    }

    /// Stops new work: idle connections close now, busy ones after their response.
    func beginDraining() {
        let idle = state.withLockedValue { s -> [any Channel] in
            s.draining = true
            return s.connections.values.filter { $0.inFlight == 0 }.map(\.channel)
        }
        for channel in idle { channel.close(promise: nil) }
    }

    /// Closes whatever is still open (the grace period is over).
    func closeAll() {
        let all = state.withLockedValue { Array($0.connections.values.map(\.channel)) }
        for channel in all { channel.close(promise: nil) }
    }
}
