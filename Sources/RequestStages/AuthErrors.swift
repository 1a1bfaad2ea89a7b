public import AWSWire
import JSONCore
import ServiceKit

/// Authentication refusals as each service sends them: Coral codes for Step Functions (400)
/// and Bedrock (403 from its front door), S3's XML codes.
///
/// Coral's wording is the one its SigV4 checks answer (seen from DynamoDB and every other
/// Coral service; https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-troubleshooting.html);
/// S3's is from its error responses
/// (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
public enum AuthErrors {
    static let mismatchMessage =
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

    static func status(_ service: AWSService) -> Int { service == .states ? 400 : 403 }
    static func namespace(_ service: AWSService) -> String? { service == .states ? ServiceErrors.coralService : nil }

    /// Coral's codes for SigV4 refusals.
    enum CoralCode: String {
        case missingAuthenticationToken = "MissingAuthenticationTokenException"
        case incompleteSignature = "IncompleteSignatureException"
        case invalidSignature = "InvalidSignatureException"
        case unrecognizedClient = "UnrecognizedClientException"
    }

    static func coral(_ code: CoralCode, _ message: String, _ service: AWSService) -> AWSServiceError {
        AWSServiceError(code: code.rawValue, message: message, status: status(service), namespace: namespace(service))
    }

    public static func unrecognizedClient(_ service: AWSService) -> AWSServiceError {
        coral(.unrecognizedClient, "The security token included in the request is invalid.", service)
    }

    public static func invalidBearerToken() -> AWSServiceError {
        AWSServiceError(code: CoralCode.unrecognizedClient.rawValue, message: "The security token included in the request is invalid.", status: 403)
    }

    public static func error(for failure: SigV4Verifier.Failure, service: AWSService, accessKeyId: String?) -> AWSServiceError {
        if service == .s3 { return s3Error(for: failure, accessKeyId: accessKeyId) }
        switch failure {
        case .missingAuthentication:
            return coral(.missingAuthenticationToken, "Missing Authentication Token", service)
        case .incompleteSignature(let message), .malformedExpires(let message):
            return coral(.incompleteSignature, message, service)
        case .malformedDate(let value, _):
            return coral(.incompleteSignature, "Date must be in ISO-8601 'basic format'. Got '\(value)'. See http://en.wikipedia.org/wiki/ISO_8601", service)
        case .unknownAccessKey:
            return unrecognizedClient(service)
        case .signatureMismatch, .invalidContentSHA256, .contentSHA256Mismatch:
            // The JSON services hash the body themselves, so an altered body is a signature
            // that does not match.
            return coral(.invalidSignature, mismatchMessage, service)
        case .hostNotSigned:
            return coral(.invalidSignature, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.", service)
        case .credentialDateMismatch(let scopeDate, let amzDate, _):
            return coral(
                .invalidSignature,
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '\(scopeDate)' != '\(amzDate.prefix(8))', from '\(amzDate)'.",
                service)
        case .expired(let requestTime, let now, let earliest):
            return coral(.invalidSignature, "Signature expired: \(requestTime) is now earlier than \(now) (\(earliest) - 15 min.)", service)
        case .notYetCurrent(let requestTime, let now, let latest):
            return coral(.invalidSignature, "Signature not yet current: \(requestTime) is still later than \(now) (\(latest) + 15 min.)", service)
        case .presignedExpired:
            return coral(.invalidSignature, "Signature expired", service)
        }
    }

    static func s3Error(for failure: SigV4Verifier.Failure, accessKeyId: String?) -> AWSServiceError {
        switch failure {
        case .missingAuthentication:
            return AWSServiceError(code: "AccessDenied", message: "Access Denied", status: 403)
        case .incompleteSignature(let message):
            return AWSServiceError(code: "AuthorizationHeaderMalformed", message: message, status: 400)
        case .unknownAccessKey(let key):
            return AWSServiceError(
                code: "InvalidAccessKeyId", message: "The AWS Access Key Id you provided does not exist in our records.", status: 403,
                extraMembers: JSONObject([("AWSAccessKeyId", .string(key))]))
        case .signatureMismatch(let canonical, let sts):
            return AWSServiceError(
                code: "SignatureDoesNotMatch",
                message: "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
                status: 403,
                extraMembers: JSONObject([
                    ("AWSAccessKeyId", .string(accessKeyId ?? "")), ("StringToSign", .string(sts)), ("CanonicalRequest", .string(canonical)),
                ]))
        case .expired, .notYetCurrent:
            return AWSServiceError(code: "RequestTimeTooSkewed", message: "The difference between the request time and the current time is too large.", status: 403)
        case .presignedExpired:
            return AWSServiceError(code: "AccessDenied", message: "Request has expired", status: 403)
        case .malformedDate(_, let presigned):
            return presigned
                ? queryParametersError("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"")
                : AWSServiceError(code: "AccessDenied", message: "AWS authentication requires a valid Date or x-amz-date header", status: 403)
        case .malformedExpires(let message):
            return queryParametersError(message)
        case .credentialDateMismatch(_, _, let presigned):
            let reason = "Invalid credential date. Date is not the same as X-Amz-Date."
            return presigned
                ? queryParametersError(reason)
                : AWSServiceError(code: "AuthorizationHeaderMalformed", message: "The authorization header is malformed; \(reason)", status: 400)
        case .hostNotSigned:
            return AWSServiceError(
                code: "AccessDenied", message: "There were headers present in the request which were not signed", status: 403,
                extraMembers: JSONObject([("HeadersNotSigned", .string("host"))]))
        case .invalidContentSHA256(let value):
            return AWSServiceError(
                code: "InvalidArgument", message: SigV4ContentHash.invalidMessage, status: 400,
                extraMembers: JSONObject([("ArgumentName", .string("x-amz-content-sha256")), ("ArgumentValue", .string(value))]))
        case .contentSHA256Mismatch(let declared, let computed):
            return AWSServiceError(
                code: "XAmzContentSHA256Mismatch", message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
                status: 400,
                extraMembers: JSONObject([("ClientComputedContentSHA256", .string(declared)), ("S3ComputedContentSHA256", .string(computed))]))
        }
    }

    static func queryParametersError(_ message: String) -> AWSServiceError {
        AWSServiceError(code: "AuthorizationQueryParametersError", message: message, status: 400)
    }
}
