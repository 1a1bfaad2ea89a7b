public import AWSWire
public import Forwarding
import JSONCore
public import Recording
public import ServiceKit

/// One service's calls answered from real AWS: forwarded and recorded (record mode) or
/// answered from the cassette (replay mode). It stands in the dispatcher for the emulator's
/// front end, which still names each operation, so the journal, fault rules, rate limits and
/// quotas apply to recorded and replayed calls as to emulated ones, and a state machine's Task
/// calls (which pass the same dispatcher) are recorded and replayed too.
public struct RecordingFrontEnd: ServiceFrontEnd {
    /// What to do with a call.
    public enum Role: Sendable {
        case record
        /// Replay; a call with no recording is answered by `miss`.
        case replay(miss: MissRole)
    }

    public enum MissRole: Sendable {
        case error
        case emulate
        case record
    }

    let emulator: any ServiceFrontEnd
    let role: Role
    let book: ReplayBook
    let forwarder: RequestForwarder?
    let transport: (any UpstreamTransport)?
    /// Replay's pacing of recorded streams: 1 as recorded, 0 at once.
    let timeScale: @Sendable () -> Double
    /// The server clock, in epoch milliseconds (a recording's `recordedAt`).
    let now: @Sendable () -> Int64
    /// Where a recording that cannot be written is reported (the log).
    let report: @Sendable (String) -> Void
    /// The calls passing through whose interaction is not written yet (shutdown waits).
    let inProgress: RecordingsInProgress

    public init(
        emulator: any ServiceFrontEnd, role: Role, book: ReplayBook, forwarder: RequestForwarder?, transport: (any UpstreamTransport)?,
        timeScale: @escaping @Sendable () -> Double, now: @escaping @Sendable () -> Int64, report: @escaping @Sendable (String) -> Void,
        inProgress: RecordingsInProgress = RecordingsInProgress()
    ) {
        self.inProgress = inProgress
        self.emulator = emulator
        self.role = role
        self.book = book
        self.forwarder = forwarder
        self.transport = transport
        self.timeScale = timeScale
        self.now = now
        self.report = report
    }

    public var service: AWSService { emulator.service }
    public var servedOperations: [String] { emulator.servedOperations }

    public func operation(for request: ServiceRequest) -> ServiceCall { emulator.operation(for: request) }

    public func handle(_ call: ServiceCall) -> Handling {
        switch role {
        case .record:
            return .later { await forward(call) }
        case .replay(let miss):
            switch book.answer(query(for: call)) {
            case .recorded(let hit):
                do {
                    return .now(try RecordedReply.reply(hit.interaction.response, origin: call.origin, timeScale: timeScale()))
                } catch {
                    return .now(.failure(RecordingErrors.notForwardable("the recording \(hit.file ?? "#\(hit.position + 1)") cannot be replayed: \(error)", service: service)))
                }
            case .miss(let nearest):
                switch miss {
                case .error: return .now(.failure(RecordingErrors.noRecording(nearest, service: service)))
                case .emulate: return emulator.handle(call)
                case .record: return .later { await forward(call) }
                }
            }
        }
    }

    /// What names the thing a call concerns, for matching: the model, the state machine or
    /// execution, the bucket and key.
    static func resource(of call: ServiceCall) -> String? {
        if let model = call.model { return model }
        if let arn = call.stateMachineArn { return arn }
        if let execution = call.input?["executionArn"]?.stringValue { return execution }
        if call.service == .s3 || call.service == .bedrock {
            let path = requestPath(of: call)
            return path.hasPrefix("/") ? String(path.dropFirst()) : path
        }
        return nil
    }

    /// The path a cassette keeps for a call: S3's in path style, whichever style the client
    /// used, so a virtual-hosted call keeps its bucket (the `Host` that named it is not
    /// matched) and replays to either style.
    static func requestPath(of call: ServiceCall) -> String {
        guard call.service == .s3 else { return call.request.path }
        return S3VirtualHost.pathStyle(path: call.request.path, host: call.request.header("Host"))
    }

    /// The client's request as a cassette keeps it. An aws-chunked upload is kept as its content
    /// (what replay compares, and without the chunk signatures).
    func recordedRequest(for call: ServiceCall) -> RecordedRequest {
        var body = call.request.body
        if AWSChunkedBody.isChunked(contentSHA256: call.request.header("x-amz-content-sha256"), contentEncoding: call.request.header("content-encoding")),
            let decoded = try? AWSChunkedBody(decoding: body)
        {
            body = decoded.content
        }
        return RecordedRequest(method: call.request.method, path: Self.requestPath(of: call), query: call.request.query, headers: call.request.headers, body: body)
    }

    func query(for call: ServiceCall) -> ReplayQuery {
        ReplayQuery(
            service: service.rawValue, operation: call.name.rawValue, resource: Self.resource(of: call), request: recordedRequest(for: call),
            callerAccount: call.caller.account)
    }

    /// The call sent to the real service, its answer passed through as it arrives and recorded.
    func forward(_ call: ServiceCall) async -> Reply {
        guard let forwarder, let transport else {
            return .failure(RecordingErrors.notForwardable("no upstream is configured", service: service))
        }
        let prepared: ForwardedRequest
        do {
            prepared = try await forwarder.prepare(
                call.request.parts, body: call.request.body, service: service, operation: call.name.rawValue, region: call.caller.region)
        } catch {
            return .failure(RecordingErrors.notForwardable("\(error)", service: service))
        }
        let sent = ContinuousClock.now
        let answer: LiveResponse
        do {
            answer = try await transport.send(prepared)
        } catch {
            return .failure(RecordingErrors.upstreamUnavailable("\(prepared.endpoint.hostHeader): \(error)", service: service))
        }
        let book = self.book
        let report = self.report
        let capture = InteractionCapture(
            service: service.rawValue, operation: call.name.rawValue, resource: Self.resource(of: call), request: recordedRequest(for: call),
            sent: sent, recordedAt: now(), inProgress: inProgress
        ) { interaction in
            do { try book.record(interaction) } catch { report("cannot record \(interaction.service) \(interaction.operation): \(error)") }
        }
        let live = capture.passThrough(answer)
        guard call.origin == .task else { return Reply(.live(live)) }
        // A Task reads the whole answer, as it would the emulator's.
        do {
            let body = try await live.collected()
            var response = RecordedResponse(status: answer.status, headers: RecordedHeader.list(answer.headers))
            response.body = RecordedBody(capturing: body)
            return try RecordedReply.reply(response, origin: .task, timeScale: 0)
        } catch {
            return .failure(RecordingErrors.upstreamUnavailable("\(prepared.endpoint.hostHeader): \(error)", service: service))
        }
    }
}
