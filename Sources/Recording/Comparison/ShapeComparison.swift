import AWSWire
import JSONCore

/// The seam of `recordings diff`: what separates the emulator's answer from AWS's recorded one
/// in status, error code, headers and JSON shape (member names, types, order), generated text
/// ignored. Streams are compared by their sequence of event kinds (runs of equal kinds as one,
/// since a generated answer has as many deltas as it likes), then the first frame of each kind
/// by headers and payload shape, a Bedrock chunk's decoded event included.
public struct ShapeComparison: Sendable {
    /// Headers whose presence says nothing about the emulator (transport, CDN, tracing).
    public var ignoredHeaders: Set<String>

    public static let defaultIgnoredHeaders: Set<String> = [
        "date", "content-length", "connection", "keep-alive", "transfer-encoding", "server", "via", "vary", "x-cache", "x-amz-cf-id",
        "x-amz-cf-pop", "x-amzn-trace-id", "x-amz-apigw-id", "strict-transport-security", "x-amz-id-2",
    ]

    public init(ignoredHeaders: Set<String> = ShapeComparison.defaultIgnoredHeaders) {
        self.ignoredHeaders = Set(ignoredHeaders.map { $0.lowercased() })
    }

    public func compare(_ recorded: RecordedResponse, with emulated: EmulatorAnswer) -> [ShapeDifference] {
        report(recorded, with: emulated).differences
    }

    /// The differences, and notes on what was deliberately left uncompared.
    public func report(_ recorded: RecordedResponse, with emulated: EmulatorAnswer) -> ShapeReport {
        var differences: [ShapeDifference] = []
        var notes: [String] = []
        if recorded.status != emulated.status {
            differences.append(ShapeDifference(.status, "status", recorded: String(recorded.status), emulated: String(emulated.status)))
        }
        let awsCode = ErrorCodeReader.code(status: recorded.status, headers: recorded.headers, body: recorded.body.bytes)
        let emulatorCode = ErrorCodeReader.code(status: emulated.status, headers: emulated.headers, body: emulated.body)
        if awsCode != emulatorCode {
            differences.append(ShapeDifference(.errorCode, "errorCode", recorded: awsCode, emulated: emulatorCode))
        }
        compareHeaders(recorded.headers, emulated.headers, into: &differences)
        switch (recorded.frames, emulated.frames) {
        case (let awsFrames?, let emulatorFrames?):
            compareStreams(awsFrames, emulatorFrames.map { RecordedFrame(message: $0, offsetMillis: 0) }, into: &differences)
        case (_?, nil):
            differences.append(ShapeDifference(.body, "body", recorded: "event stream", emulated: "document"))
        case (nil, _?):
            differences.append(ShapeDifference(.body, "body", recorded: "document", emulated: "event stream"))
        case (nil, nil):
            compareBodies(recorded.body.bytes, emulated.body, into: &differences, notes: &notes)
        }
        return ShapeReport(differences: differences, notes: notes)
    }

    private func compareHeaders(_ aws: [RecordedHeader], _ emulator: [RecordedHeader], into differences: inout [ShapeDifference]) {
        let awsNames = aws.map { $0.name.lowercased() }.filter { !ignoredHeaders.contains($0) }
        let emulatorNames = emulator.map { $0.name.lowercased() }.filter { !ignoredHeaders.contains($0) }
        for name in awsNames where !emulatorNames.contains(name) {
            differences.append(ShapeDifference(.header, "headers.\(name)", recorded: "present", emulated: "absent"))
        }
        for name in emulatorNames where !awsNames.contains(name) {
            differences.append(ShapeDifference(.header, "headers.\(name)", recorded: "absent", emulated: "present"))
        }
        let awsType = aws.value(of: "content-type").map(Self.mediaType)
        let emulatorType = emulator.value(of: "content-type").map(Self.mediaType)
        if let awsType, let emulatorType, awsType != emulatorType {
            differences.append(ShapeDifference(.header, "headers.content-type", recorded: awsType, emulated: emulatorType))
        }
    }

    private static func mediaType(_ value: String) -> String {
        String(value.split(separator: ";").first ?? "").trimmingPrefix(" ").lowercased()
    }

    private func compareBodies(_ aws: [UInt8], _ emulator: [UInt8], into differences: inout [ShapeDifference], notes: inout [String]) {
        let awsJSON = aws.isEmpty ? nil : try? JSONParser.parse(aws)
        let emulatorJSON = emulator.isEmpty ? nil : try? JSONParser.parse(emulator)
        switch (awsJSON, emulatorJSON) {
        case (let a?, let b?):
            // A resource polled while it ran (DescribeExecution RUNNING, then SUCCEEDED) has the
            // members of its state: an emulator that got further sends `stopDate` and `output`
            // that the recorded answer could not have. Which members exist then follows from a
            // value, not from the shape, so only the members both have are compared.
            if let awsStatus = a["status"]?.stringValue, let emulatorStatus = b["status"]?.stringValue, awsStatus != emulatorStatus {
                notes.append("body.status: AWS \(awsStatus), emulator \(emulatorStatus); members only one of them has are not compared")
                JSONShape.compare(a, b, at: "body", into: &differences, comparingPresence: false)
            } else {
                JSONShape.compare(a, b, at: "body", into: &differences)
            }
        case (_?, nil):
            differences.append(ShapeDifference(.body, "body", recorded: "JSON", emulated: emulator.isEmpty ? "empty" : "not JSON"))
        case (nil, _?):
            differences.append(ShapeDifference(.body, "body", recorded: aws.isEmpty ? "empty" : "not JSON", emulated: "JSON"))
        case (nil, nil):
            if aws.isEmpty != emulator.isEmpty {
                differences.append(
                    ShapeDifference(.body, "body", recorded: aws.isEmpty ? "empty" : "\(aws.count) bytes", emulated: emulator.isEmpty ? "empty" : "\(emulator.count) bytes"))
            }
        }
    }

    /// `chunk/content_block_delta`: the frame's event type, and the model event's `type` inside
    /// a Bedrock chunk, which is what tells its frames apart.
    static func kind(of frame: RecordedFrame) -> String {
        let base = frame.eventType ?? "?"
        guard let inner = frame.chunkEvent?["type"]?.stringValue else { return base }
        return "\(base)/\(inner)"
    }

    private func compareStreams(_ aws: [RecordedFrame], _ emulator: [RecordedFrame], into differences: inout [ShapeDifference]) {
        func runs(_ frames: [RecordedFrame]) -> [String] {
            frames.map(Self.kind).reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }
        }
        let awsRuns = runs(aws)
        let emulatorRuns = runs(emulator)
        if awsRuns != emulatorRuns {
            differences.append(
                ShapeDifference(.events, "frames", recorded: awsRuns.joined(separator: ", "), emulated: emulatorRuns.joined(separator: ", ")))
        }
        var seen = Set<String>()
        for frame in aws {
            let kind = Self.kind(of: frame)
            guard seen.insert(kind).inserted, let other = emulator.first(where: { Self.kind(of: $0) == kind }) else { continue }
            compareFrames(frame, other, at: "frames[\(kind)]", into: &differences)
        }
    }

    private func compareFrames(_ aws: RecordedFrame, _ emulator: RecordedFrame, at path: String, into differences: inout [ShapeDifference]) {
        for header in aws.headers {
            guard let other = emulator.headers.first(where: { $0.name == header.name }) else {
                differences.append(ShapeDifference(.header, "\(path).headers.\(header.name)", recorded: "present", emulated: "absent"))
                continue
            }
            let compareValue = header.name == ":content-type" || header.name == ":message-type"
            if header.value.typeID != other.value.typeID || (compareValue && header.value != other.value) {
                differences.append(
                    ShapeDifference(.header, "\(path).headers.\(header.name)", recorded: Self.describe(header.value), emulated: Self.describe(other.value)))
            }
        }
        for header in emulator.headers where !aws.headers.contains(where: { $0.name == header.name }) {
            differences.append(ShapeDifference(.header, "\(path).headers.\(header.name)", recorded: "absent", emulated: "present"))
        }
        // The payloads as the cassette shows them, so a chunk's decoded event is compared too.
        switch (aws.payload.jsonValue, emulator.payload.jsonValue) {
        case (let a?, let b?):
            JSONShape.compare(a, b, at: "\(path).payload", into: &differences)
        case (_?, nil):
            differences.append(ShapeDifference(.body, "\(path).payload", recorded: "JSON", emulated: "not JSON"))
        case (nil, _?):
            differences.append(ShapeDifference(.body, "\(path).payload", recorded: "not JSON", emulated: "JSON"))
        case (nil, nil):
            break
        }
    }

    private static func describe(_ value: EventStreamHeaderValue) -> String {
        if case .string(let text) = value { return "string \(text)" }
        return "type \(value.typeID)"
    }
}
