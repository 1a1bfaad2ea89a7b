/// Bedrock runtime errors with the status and default message the service uses: the one table
/// canned rules, fault injection and quotas draw from.
public enum BedrockErrorCatalog {
    public static let entries: [String: (status: Int, message: String)] = [
        "ValidationException": (400, "The request is not valid."),
        "ServiceQuotaExceededException": (400, "Your request exceeds the service quota for your account. You can view your quotas at Viewing service quotas. You can resubmit your request later."),
        "AccessDeniedException": (403, "You don't have access to the model with the specified model ID."),
        "ResourceNotFoundException": (404, "The specified resource ARN was not found. Check the ARN and try your request again."),
        "ModelTimeoutException": (408, "Model has timed out in processing the request. Try your request again."),
        "ModelErrorException": (424, "The request failed due to an error while processing the model."),
        "ModelStreamErrorException": (424, "An error occurred while streaming the response. Retry your request."),
        "ThrottlingException": (429, "Too many requests, please wait before trying again."),
        "ModelNotReadyException": (429, "Model is not ready to serve inference requests. The AWS SDK will automatically retry the operation up to 5 times."),
        "InternalServerException": (500, "The system encountered an unexpected error during processing. Try your request again."),
        "ServiceUnavailableException": (503, "Bedrock is unable to process your request."),
    ]

    /// The request-rate throttle as AWS sends it on the wire (double space included); the
    /// table's shorter text is what canned rules have always answered with.
    public static let requestRateThrottle =
        "Too many requests, please wait before trying again. You have sent too many requests.  Wait before trying again."

    public static func error(code: String, message: String? = nil) -> BedrockError? {
        guard let entry = entries[code] else { return nil }
        return BedrockError(code: code, message: message ?? entry.message, status: entry.status)
    }
}
