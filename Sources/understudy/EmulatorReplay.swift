import AWSWire
import Foundation
import HTTPEdge
import JSONCore
import Logging
import Recording
import RequestStages
import ServiceKit
import UnderstudyServer

/// `recordings diff`'s engine: a cassette's requests sent, in the order they were recorded, to
/// a fresh emulator in process (the server's `RequestPipeline` without a socket), each answer
/// held beside AWS's by `ShapeComparison`.
///
/// The order matters because the emulator starts empty: a CreateStateMachine must run before
/// the StartExecution that names it. Everything runs as the account and region the cassette's
/// ARNs name (`RecordedCaller`), and ARNs the emulator generated differently from AWS are
/// carried into later requests (`IdentifierMap`).
struct EmulatorReplay {
    let pipeline: RequestPipeline
    let caller: RecordedCaller
    let comparison = ShapeComparison()
    /// How long a read of something still RUNNING here is asked again, when AWS's answer had
    /// got further: at time scale 0 an execution ends at once, but in a task of its own.
    static let settleAttempts = 200
    static let settleMillis: UInt64 = 10

    /// A fresh emulator with the server's defaults, but executions at time scale 0 (a recorded
    /// Wait must not make the diff wait) and nothing logged.
    init(seed: UInt64, caller: RecordedCaller) throws {
        var configuration = ServerConfiguration()
        configuration.seed = seed
        configuration.timeScale = 0
        configuration.authMode = .lenient
        let logger = Logger(label: "understudy.diff", factory: { _ in SwiftLogNoOpLogHandler() })
        pipeline = try RequestPipeline(configuration: configuration, logger: logger)
        self.caller = caller
    }

    func diff(_ cassette: Cassette) async -> [InteractionDiff] {
        var identifiers = IdentifierMap()
        var results: [InteractionDiff] = []
        for (i, interaction) in cassette.interactions.enumerated() {
            let file = cassette.index.entries.indices.contains(i) ? cassette.index.entries[i].file : ""
            var result = InteractionDiff(number: i + 1, file: file, service: interaction.service, operation: interaction.operation)
            guard let service = AWSService(rawValue: interaction.service), service != .admin else {
                result.differences = [ShapeDifference(.body, "service", recorded: interaction.service, emulated: "not a service Understudy emulates")]
                results.append(result)
                continue
            }
            let request = identifiers.applied(to: interaction.request)
            var answer = await ask(request, service: service)
            var attempts = 0
            while attempts < Self.settleAttempts, Self.stillRunning(answer, comparedWith: interaction) {
                try? await Task.sleep(nanoseconds: Self.settleMillis * 1_000_000)
                answer = await ask(request, service: service)
                attempts += 1
            }
            let report = comparison.report(interaction.response, with: answer)
            result.differences = report.differences
            result.notes = report.notes
            if let recorded = interaction.response.body.jsonValue, !answer.body.isEmpty, let emulated = try? JSONParser.parse(answer.body) {
                identifiers.learn(recorded: recorded, emulated: emulated)
            }
            results.append(result)
        }
        return results
    }

    /// The emulator's answer to one recorded request, as the HTTP edge would write it.
    func ask(_ recorded: RecordedRequest, service: AWSService) async -> EmulatorAnswer {
        let requestId = pipeline.nextRequestId()
        var headers = recorded.headers.pairs.filter { $0.name.lowercased() != "authorization" }
        // Lenient authentication takes the account from a 12-digit access key id and the region
        // from the scope, never checking the signature: the one way in for a caller with no key.
        let scopeService = service == .bedrockRuntime ? AWSService.bedrock.rawValue : service.rawValue
        headers.append(
            ("Authorization", "AWS4-HMAC-SHA256 Credential=\(caller.account)/20250101/\(caller.region)/\(scopeService)/aws4_request, SignedHeaders=host, Signature=0"))
        let body = recorded.body.bytes
        if !body.isEmpty, !headers.contains(where: { $0.name.lowercased() == "content-length" }) {
            headers.append(("Content-Length", String(body.count)))
        }
        let request = ServiceRequest(
            method: recorded.method, path: recorded.path, query: recorded.query, headers: headers, body: body, requestId: requestId, service: service)
        let reply = await pipeline.handle(request).reply()
        let wire = WireAnswer(reply, service: service, requestId: requestId).response
        let answerHeaders = RecordedHeader.list(wire.headers)
        if case .stream(let stream) = reply.outcome, let answer = try? EmulatorAnswer(status: wire.status, headers: answerHeaders, encodedFrames: stream.frames) {
            return answer
        }
        return EmulatorAnswer(status: wire.status, headers: answerHeaders, body: wire.body)
    }

    /// A read (Describe, Get, List) the emulator answers RUNNING where AWS had got further.
    static func stillRunning(_ answer: EmulatorAnswer, comparedWith interaction: RecordedInteraction) -> Bool {
        let operation = interaction.operation
        guard operation.hasPrefix("Describe") || operation.hasPrefix("Get") || operation.hasPrefix("List") else { return false }
        guard let emulated = try? JSONParser.parse(answer.body), emulated["status"]?.stringValue == "RUNNING" else { return false }
        guard let recorded = interaction.response.body.jsonValue?["status"]?.stringValue else { return false }
        return recorded != "RUNNING"
    }
}
