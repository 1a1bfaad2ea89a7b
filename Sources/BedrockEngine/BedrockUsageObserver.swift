/// Hears what Bedrock work was done: tokens a runtime call used and records a batch job
/// wrote. The composition root's metrics conform; with metrics off it passes none.
///
/// A protocol rather than swift-metrics itself, so the engine and the Bedrock front ends
/// depend on no metrics package (the same way `BatchJobRecords` keeps them off the database).
public protocol BedrockUsageObserver: Sendable {
    /// A runtime call (InvokeModel, InvokeModelWithResponseStream, Converse, ConverseStream)
    /// answered with these token counts, for the model as the caller named it.
    func tokensUsed(model: String, input: Int, output: Int)
    /// A batch job ended and wrote its outputs: records that succeeded and records that failed.
    func batchRecordsProcessed(model: String, succeeded: Int, failed: Int)
}
