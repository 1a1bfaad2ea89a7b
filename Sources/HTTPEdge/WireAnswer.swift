public import AWSWire
public import ServiceKit

/// A reply in its service's wire protocol, as the HTTP edge writes it: awsJson1_0 for Step
/// Functions, restJson1 for Bedrock (errors in `x-amzn-ErrorType`), XML errors for S3, and
/// event streams either whole or paced frame by frame. Public so the composition root can
/// answer in process exactly as the edge would (`RequestPipeline.respond`).
public struct WireAnswer {
    public var response: AWSResponse
    /// A paced event stream: each part goes out at its offset in milliseconds from the request
    /// (`response.body` is then unused).
    var paced: [(offsetMillis: Int, bytes: [UInt8])]?
    /// A passed-through answer whose body is still arriving (`response` holds its status and
    /// headers).
    var live: LiveResponse?
    var delivery: Delivery

    static let eventStreamContentType = "application/vnd.amazon.eventstream"

    public init(_ reply: Reply, service: AWSService, requestId: String) {
        delivery = reply.delivery
        paced = nil
        live = nil
        switch reply.outcome {
        case .document(let body, let headers):
            response =
                service == .states
                ? AWSJSON10.success(body, requestId: requestId) : RestJSON1.success(body, requestId: requestId, extraHeaders: headers)
        case .raw(let raw):
            response = raw
        case .stream(let stream):
            // A replayed stream carries the request id and type it was recorded with.
            var own: [(name: String, value: String)] = []
            if !stream.headers.contains(where: { $0.name.lowercased() == "x-amzn-requestid" }) { own.append(("x-amzn-RequestId", requestId)) }
            if !stream.headers.contains(where: { $0.name.lowercased() == "content-type" }) { own.append(("Content-Type", Self.eventStreamContentType)) }
            response = AWSResponse(status: 200, headers: own + stream.headers)
            if let offsets = stream.offsets {
                paced = zip(offsets, stream.frames).map { ($0, $1) }
            } else {
                response.body = stream.frames.flatMap { $0 }
            }
        case .live(let passed):
            response = AWSResponse(status: passed.status, headers: passed.headers)
            live = passed
        case .failure(let error, let resource):
            response = ServiceErrors.response(error, service: service, requestId: requestId, resource: resource)
        }
        response.headers += reply.headers
    }
}
