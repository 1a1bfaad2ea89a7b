public import AWSWire
import JSONCore

/// The errors every service front end shares, each as the real service spells it. Service
/// specific catalogs live beside their front ends.
public enum ServiceErrors {
    /// Coral's generic namespace, used in awsJson `__type` for framework-level errors.
    public static let coralService = "com.amazon.coral.service"
    public static let coralValidate = "com.amazon.coral.validate"
    /// Suffix the Bedrock front door appends to `x-amzn-ErrorType`; clients cut at `:`.
    public static let bedrockErrorTypeSuffix = ":http://internal.amazon.com/coral/com.amazon.bedrock/"

    public static func unknownOperation(_ service: AWSService) -> AWSServiceError {
        switch service {
        case .s3: return AWSServiceError(code: "MethodNotAllowed", message: "The specified method is not allowed against this resource.", status: 405)
        case .states: return AWSServiceError(code: "UnknownOperationException", message: nil, status: 400, namespace: coralService)
        default: return AWSServiceError(code: "UnknownOperationException", message: nil, status: 404)
        }
    }

    public static func serialization(_ message: String?, service: AWSService) -> AWSServiceError {
        AWSServiceError(code: "SerializationException", message: message, status: 400, namespace: service == .states ? coralService : nil)
    }

    public static func validation(_ message: String, service: AWSService) -> AWSServiceError {
        AWSServiceError(code: "ValidationException", message: message, status: 400, namespace: service == .states ? coralValidate : nil)
    }

    /// Coral's constraint message: `1 validation error detected: Value 'x' at 'member' failed to
    /// satisfy constraint: …`.
    public static func constraint(value: String, member: String, constraint: String, service: AWSService) -> AWSServiceError {
        validation(
            "1 validation error detected: Value '\(value)' at '\(member)' failed to satisfy constraint: \(constraint)",
            service: service)
    }

    public static func requestTooLarge(limit: Int, service: AWSService) -> AWSServiceError {
        switch service {
        case .s3:
            return AWSServiceError(code: "EntityTooLarge", message: "Your proposed upload exceeds the maximum allowed size", status: 400)
        default:
            return AWSServiceError(
                code: "RequestEntityTooLargeException", message: "Request must be smaller than \(limit) bytes", status: 413,
                namespace: service == .states ? coralService : nil)
        }
    }

    /// A request HTTP itself refuses (a control character in a header, two Host headers, a
    /// broken chunk): S3 words it as its front end does; the JSON services' front ends answer an
    /// HTML page there, so they get the nearest error their protocol can carry.
    public static func malformedRequest(service: AWSService) -> AWSServiceError {
        let message = "An error occurred when parsing the HTTP request."
        switch service {
        case .s3: return AWSServiceError(code: "BadRequest", message: message, status: 400)
        default: return AWSServiceError(code: "BadRequestException", message: message, status: 400, namespace: service == .states ? coralService : nil)
        }
    }

    /// A request head past the edge's limit (`limit` bytes of header names and values).
    public static func headerSectionTooLarge(limit: Int, service: AWSService) -> AWSServiceError {
        let message = "Your request header section exceeds the maximum allowed size."
        switch service {
        case .s3:
            return AWSServiceError(
                code: "RequestHeaderSectionTooLarge", message: message, status: 400, extraMembers: ["MaxSizeAllowed": .string(String(limit))])
        default: return AWSServiceError(code: "BadRequestException", message: message, status: 400, namespace: service == .states ? coralService : nil)
        }
    }

    /// An AWS operation Understudy models but does not serve yet: said plainly, never faked.
    public static func notEmulated(_ operation: String, service: AWSService) -> AWSServiceError {
        AWSServiceError(
            code: "NotImplemented", message: "Understudy does not emulate \(service.rawValue) \(operation) yet", status: 501,
            namespace: service == .states ? coralService : nil)
    }

    public static func internalFailure(service: AWSService) -> AWSServiceError {
        switch service {
        case .states: return AWSServiceError(code: "InternalFailure", message: nil, status: 500, namespace: coralService)
        case .s3: return AWSServiceError(code: "InternalError", message: "We encountered an internal error. Please try again.", status: 500)
        default: return AWSServiceError(code: "InternalServerException", message: "Internal Server Error", status: 500)
        }
    }

    /// Renders an error in the service's protocol.
    public static func response(_ error: AWSServiceError, service: AWSService, requestId: String, resource: String? = nil) -> AWSResponse {
        switch service {
        case .states: return AWSJSON10.error(error, requestId: requestId)
        case .bedrock, .bedrockRuntime: return RestJSON1.error(error, requestId: requestId, errorTypeSuffix: bedrockErrorTypeSuffix)
        case .s3: return RestXML.error(error, requestId: requestId, resource: resource)
        case .admin: return RestJSON1.error(error, requestId: requestId)
        }
    }
}
