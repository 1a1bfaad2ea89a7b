import AWSWire
import HTTPEdge
import Locking
import ServiceKit

/// The least an `EdgePipeline` can be: it names services as the server does, counts request
/// ids, and answers each request with what `answer` makes of it, remembering what it saw. The
/// edge needs nothing more, which is what these tests show.
final class StubPipeline: EdgePipeline {
    struct Seen: Sendable {
        var handled: [ServiceRequest] = []
        var refused: [(request: ServiceRequest, name: OperationName, status: Int)] = []
    }

    let clock: any ServerClock
    private let answer: @Sendable (ServiceRequest) -> Handling
    private let seen = Locked(Seen())
    private let ids = Locked(0)

    init(clock: any ServerClock, answer: @escaping @Sendable (ServiceRequest) -> Handling) {
        self.clock = clock
        self.answer = answer
    }

    var handled: [ServiceRequest] { seen.withLock { $0.handled } }
    var refused: [(request: ServiceRequest, name: OperationName, status: Int)] { seen.withLock { $0.refused } }

    func identify(method: String, path: String, query: String, header: (String) -> String?) -> AWSService {
        ServiceResolver.resolve(method: method, path: path, query: query, header: header)
    }

    func nextRequestId() -> String {
        ids.withLock {
            $0 += 1
            return "request-\($0)"
        }
    }

    func handle(_ request: ServiceRequest) -> Handling {
        seen.withLock { $0.handled.append(request) }
        return answer(request)
    }

    func recordRefusal(_ request: ServiceRequest, name: OperationName, _ reply: Reply, started: ContinuousClock.Instant) {
        seen.withLock { $0.refused.append((request, name, reply.outcome.status)) }
    }
}
