import Foundation
import NIOCore

/// Why the server could not bind, told with the address it tried and what to do instead. NIO's
/// own errors (`bind(descriptor:ptr:bytes:): Address already in use (errno: 98)`) name neither
/// the address nor the setting that chose it, and a taken port is the usual first-run surprise.
public struct ServerBindError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Reason: Sendable, Equatable {
        /// Something else listens on the port (often another understudy).
        case addressInUse
        /// A privileged port (below 1024) without the privilege.
        case permissionDenied
        /// The host is not an address of this machine.
        case addressNotAvailable
        /// The host name does not resolve.
        case unknownHost
        /// Anything else, as the system described it.
        case other(String)
    }

    public var host: String
    public var port: Int
    public var reason: Reason

    public init(host: String, port: Int, reason: Reason) {
        self.host = host
        self.port = port
        self.reason = reason
    }

    /// Classifies what `ServerBootstrap.bind` threw.
    public init(host: String, port: Int, error: any Error) {
        let reason: Reason
        switch error {
        case let error as IOError where error.errnoCode == EADDRINUSE: reason = .addressInUse
        case let error as IOError where error.errnoCode == EACCES: reason = .permissionDenied
        case let error as IOError where error.errnoCode == EADDRNOTAVAIL: reason = .addressNotAvailable
        case is SocketAddressError.UnknownHost: reason = .unknownHost
        default: reason = .other(String(describing: error))
        }
        self.init(host: host, port: port, reason: reason)
    }

    /// `host:port`, with an IPv6 host in brackets so the port cannot be mistaken for part of it.
    public var address: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    public var description: String {
        switch reason {
        case .addressInUse:
            "\(address) is already in use (another process, perhaps another understudy, is listening there); "
                + "use --port 0 to pick a free port, or --port N for another one"
        case .permissionDenied:
            "not allowed to bind \(address) (ports below 1024 need privileges); "
                + "use --port 0 to pick a free port, or --port N for another one"
        case .addressNotAvailable:
            "cannot bind \(address): \(host) is not an address of this machine (the default is 127.0.0.1; 0.0.0.0 is every interface)"
        case .unknownHost:
            "cannot bind \(address): the host \(host) does not resolve to an address"
        case .other(let detail):
            "cannot bind \(address): \(detail)"
        }
    }
}
