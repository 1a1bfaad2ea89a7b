public import Forwarding
public import ServiceKit

/// Sends a request that `Forwarding` prepared for the real service and hands back the answer
/// as it arrives (the same `LiveResponse` the recorder passes on to the client). The
/// composition root gives the recorder one over the TLS upstream client; tests give it one in
/// process.
public protocol UpstreamTransport: Sendable {
    func send(_ request: ForwardedRequest) async throws -> LiveResponse
}
