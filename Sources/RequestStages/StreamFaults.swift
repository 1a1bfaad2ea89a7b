import AWSWire
import Chaos
import JSONCore
import ServiceKit

/// Rewrites an event stream after its first N events.
enum StreamFaults {
    /// The stream as the fault leaves it, and whether the connection drops at its end.
    static func apply(
        _ fault: FaultRule.StreamFault, after: Int, to stream: Outcome.EventStream, wording: ErrorWording
    ) -> (Outcome.EventStream, cut: Bool) {
        let frames = stream.frames
        var tail: [[UInt8]] = []
        var stall = false
        var cut = false
        switch fault {
        case .exception(let code, let message):
            var payload = JSONObject()
            payload["message"] = .string(message ?? wording.bedrock[code]?.message ?? code)
            if code == "ModelStreamErrorException" {
                payload["originalStatusCode"] = 500
                payload["originalMessage"] = "The model failed while streaming"
            }
            let member = code.prefix(1).lowercased() + code.dropFirst()
            tail.append((try? EventStreamEncoder.encode(.exception(member, payload: JSONValue.object(payload).jsonBytes))) ?? [])
        case .truncate:
            if after < frames.count { tail.append(Array(frames[after].prefix(frames[after].count / 2))) }
            // The connection drops mid-frame, with no closing chunk, as when a proxy cuts it.
            cut = true
        case .corruptCRC:
            if after < frames.count {
                var frame = frames[after]
                frame[frame.count - 1] ^= 0xFF
                tail.append(frame)
            }
        case .stall:
            stall = true
        }
        var out = stream
        out.frames = Array(frames.prefix(after)) + tail
        if stall || cut || stream.offsets != nil {
            let offsets = stream.offsets
            var due = out.frames.indices.map { i in offsets.map { $0[min(i, $0.count - 1)] } ?? 0 }
            // Stalling: nothing more arrives for ten minutes, then the stream ends.
            if stall {
                out.frames.append([])
                due.append(600_000)
            }
            out.offsets = due
        }
        return (out, cut)
    }
}
