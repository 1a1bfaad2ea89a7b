import AWSWire
import ServiceKit

extension AdminAPI {
    /// `GET /_understudy/metrics`: Prometheus' text exposition format. With metrics off it is
    /// a 404 in the admin API's error shape, not an empty exposition, so a scraper pointed at
    /// a server that counts nothing shows a failed target rather than one that never moves.
    func metricsAnswer(_ request: ServiceRequest) -> AdminAnswer {
        guard let metrics else {
            let error = AWSServiceError(code: "NotFound", message: "Metrics are off (metrics.enabled: false or --no-metrics)", status: 404)
            return failure("Metrics", error, request)
        }
        let response = AWSResponse(
            status: 200, headers: [("x-amzn-RequestId", request.requestId), ("Content-Type", ServerMetrics.contentType)], body: metrics.exposition())
        return AdminAnswer(operation: "Metrics", response: response)
    }
}
