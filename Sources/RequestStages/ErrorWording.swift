public import AWSWire
import ServiceKit

/// How each service words an error a rule models (a fault rule's error, a rate limit's
/// throttle, an in-stream exception): the status and message it would send when the rule
/// leaves them out. Bedrock's table and Step Functions' namespace belong to those services'
/// modules; the composition root hands them in, so the stages depend on no engine or service.
///
/// The defaults follow each service's error pages: Bedrock's runtime errors
/// (https://docs.aws.amazon.com/bedrock/latest/APIReference/CommonErrors.html), Step Functions'
/// throttling (https://docs.aws.amazon.com/step-functions/latest/apireference/CommonErrors.html)
/// and S3's (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
public struct ErrorWording: Sendable {
    /// Bedrock's codes with the status and default message the service uses.
    public var bedrock: [String: (status: Int, message: String)]
    /// Bedrock's request-rate throttle as it goes on the wire, for `ThrottlingException`.
    public var bedrockThrottle: String
    /// The namespace Step Functions' own exceptions carry in `__type`.
    public var statesNamespace: String

    public init(bedrock: [String: (status: Int, message: String)], bedrockThrottle: String, statesNamespace: String) {
        self.bedrock = bedrock
        self.bedrockThrottle = bedrockThrottle
        self.statesNamespace = statesNamespace
    }

    /// The codes every service shares, spelled once.
    enum Code: String {
        case throttling = "ThrottlingException"
        case slowDown = "SlowDown"
        case internalFailure = "InternalFailure"
        case serviceUnavailable = "ServiceUnavailable"
    }

    /// Step Functions answers throttling from Coral's availability layer, not the service.
    static let coralAvailability = "com.amazon.coral.availability"

    /// S3's own status and message for the errors a rule is likely to model.
    static let s3Defaults: [String: (status: Int, message: String)] = [
        Code.slowDown.rawValue: (503, "Please reduce your request rate."),
        "InternalError": (500, "We encountered an internal error. Please try again."),
        Code.serviceUnavailable.rawValue: (503, "Service is unable to handle request."),
    ]

    /// The throttling error `service` answers a call over its rate with.
    public func throttling(_ service: AWSService) -> AWSServiceError {
        error(code: service == .s3 ? Code.slowDown.rawValue : Code.throttling.rawValue, message: nil, status: nil, service: service)
    }

    /// A modelled error as `service` words it; `message` and `status` override its defaults.
    public func error(code: String, message: String?, status: Int?, service: AWSService) -> AWSServiceError {
        switch service {
        case .bedrock, .bedrockRuntime:
            let defaults = bedrock[code]
            let standard = code == Code.throttling.rawValue ? bedrockThrottle : defaults?.message
            return AWSServiceError(code: code, message: message ?? standard ?? code, status: status ?? defaults?.status ?? 400)
        case .states:
            switch Code(rawValue: code) {
            case .throttling:
                return AWSServiceError(code: code, message: message ?? "Rate exceeded", status: status ?? 400, namespace: Self.coralAvailability)
            case .internalFailure, .serviceUnavailable:
                return AWSServiceError(
                    code: code, message: message, status: status ?? (code == Code.internalFailure.rawValue ? 500 : 503),
                    namespace: ServiceErrors.coralService)
            default:
                return AWSServiceError(code: code, message: message ?? code, status: status ?? 400, namespace: statesNamespace)
            }
        case .s3:
            let defaults = Self.s3Defaults[code]
            return AWSServiceError(code: code, message: message ?? defaults?.message ?? code, status: status ?? defaults?.status ?? 400)
        case .admin:
            return AWSServiceError(code: code, message: message, status: status ?? 500)
        }
    }
}
