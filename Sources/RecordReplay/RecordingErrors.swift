public import AWSWire
public import Recording

/// The errors the recorder itself answers with, in each service's shape (the edge renders
/// them as for any other `AWSServiceError`).
public enum RecordingErrors {
    /// Replay has no recording of a call: 404 for S3, whose clients read a status; 400 with
    /// the code for the JSON services. The message names the nearest recording and the first
    /// field that differs.
    public static func noRecording(_ miss: ReplayMiss, service: AWSService) -> AWSServiceError {
        AWSServiceError(code: "UnderstudyNoRecording", message: miss.message, status: service == .s3 ? 404 : 400)
    }

    /// The real service could not be reached or broke off before answering: 503, which every
    /// AWS SDK retries.
    public static func upstreamUnavailable(_ detail: String, service: AWSService) -> AWSServiceError {
        AWSServiceError(
            code: service == .s3 ? "ServiceUnavailable" : "ServiceUnavailableException",
            message: "Understudy could not forward the call to the real service: \(detail)", status: 503)
    }

    /// The call cannot be forwarded as it is (no credentials, a region that is no region).
    public static func notForwardable(_ detail: String, service: AWSService) -> AWSServiceError {
        AWSServiceError(code: service == .s3 ? "InvalidRequest" : "ValidationException", message: "Understudy cannot forward the call: \(detail)", status: 400)
    }
}
