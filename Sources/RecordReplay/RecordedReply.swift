import AWSWire
import JSONCore
public import Recording
public import ServiceKit

/// A recorded answer as the dispatcher's `Reply`: the recorded status, headers and bytes (request
/// ids and dates as recorded), an event stream re-framed with its recorded pacing.
public enum RecordedReply {
    /// Headers of the recording's own connection, never replayed: the edge frames the body
    /// itself. A whole body's `Content-Length` is kept: the edge writes the body's own length
    /// over it, except for a HEAD, whose recorded length is the answer (its body is left out).
    static let connectionHeaders: Set<String> = ["connection", "keep-alive", "transfer-encoding", "content-length", "trailer", "upgrade"]

    /// The reply for a recorded response. Stream frames are due at their recorded offsets
    /// scaled by `timeScale` (0 sends them at once). A Task reads an error as the service's
    /// error (`Bedrock.ThrottlingException`), so for a Task's call a recorded error becomes a
    /// modelled failure.
    public static func reply(_ response: RecordedResponse, origin: ServiceCall.Origin, timeScale: Double) throws -> Reply {
        let headers = response.headers.filter { !connectionHeaders.contains($0.name.lowercased()) }.map { ($0.name, $0.value) }
        if let frames = response.frames {
            let encoded = try frames.map { try $0.encoded() }
            let head = response.headMillis ?? 0
            let offsets: [Int]? = timeScale > 0 ? frames.map { Int((Double(head + $0.offsetMillis) * timeScale).rounded()) } : nil
            return Reply(.stream(Outcome.EventStream(frames: encoded, offsets: offsets, headers: headers)))
        }
        let body = response.body.bytes
        if origin == .task, response.status >= 300 {
            let answer = AWSErrorAnswer(header: { response.headers.value(of: $0) }, body: body)
            return .failure(AWSServiceError(code: answer.code ?? "InternalServerException", message: answer.message, status: response.status))
        }
        var whole = headers
        if let length = response.headers.value(of: "Content-Length") { whole.append(("Content-Length", length)) }
        return Reply(.raw(AWSResponse(status: response.status, headers: whole, body: body)))
    }
}
