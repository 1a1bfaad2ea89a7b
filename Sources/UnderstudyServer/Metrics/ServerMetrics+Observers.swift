import BedrockEngine
import CoreMetrics
import RequestStages
import StepFunctionsService

/// Where the server's metrics are moved: each lower module tells what happened through its own
/// protocol, and this turns it into counts.
extension ServerMetrics: CallObserver, ExecutionObserver, BedrockUsageObserver {
    func answered(service: String, operation: String, status: Int, latencyMicros: Int64, fault: String?) {
        let call = calls[CallKey(service: service, operation: operation, status: status)]
        call.requests.increment()
        call.duration.recordMicroseconds(latencyMicros)
        if let fault { decided[fault].increment() }
    }

    func executionStarted(type: String) { started[type].increment() }

    func executionFinished(type: String, status: String) { finished[FinishKey(type: type, status: status)].increment() }

    func tokensUsed(model: String, input: Int, output: Int) {
        let pair = tokens[model]
        pair.first.increment(by: input)
        pair.second.increment(by: output)
    }

    func batchRecordsProcessed(model: String, succeeded: Int, failed: Int) {
        let pair = batchRecords[model]
        pair.first.increment(by: succeeded)
        pair.second.increment(by: failed)
    }
}
